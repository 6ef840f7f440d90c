package io.mattepipe.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Edits an ONNX model's declarations before it is loaded, at the protobuf level, copying
 * everything else (the weights) byte for byte. Two edits, each for something DJL cannot express:
 * <ul>
 * <li>Only the matte output stays a graph output. DJL's {@code OrtSymbolBlock} runs the session
 *     with no fetch list, i.e. every declared output: for IS-Net that is 11 side outputs and
 *     feature maps nobody reads (about 0.5 s and 330 MB per image). With one declared output, the
 *     nodes that only fed the others are dead, and ONNX Runtime drops them when it loads.</li>
 * <li>A symbolic batch dimension, for batching. Exported IS-Net files declare their image input
 *     and outputs as {@code [1, …]}, and ONNX Runtime refuses any other batch for a fixed
 *     dimension, even where every operator in the graph would take one. The image input's first
 *     dimension and the output's become {@code "batch"}, and the intermediate shape annotations
 *     ({@code value_info}), which repeat the 1, are dropped for ONNX Runtime to infer again. A
 *     graph that bakes the 1 into its operators (constant {@code Resize} sizes, say) still fails
 *     for a batch above one, which is why {@link MattingModel} tries one batch when it loads.</li>
 * </ul>
 */
final class GraphEdit {

    static final String DIMENSION = "batch";

    // field numbers from onnx.proto
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_VALUE_INFO = 13;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private GraphEdit() {
    }

    /**
     * Writes the model at {@code in} to {@code out} with {@code outputName} as its only output and,
     * when {@code symbolicBatch}, the first dimension of {@code inputName} and of that output
     * symbolic. Neither file is ever whole in the heap: the input is mapped, the edit is a rope of
     * views into the mapping and a few new declarations, and the views are written straight from
     * the mapping, so a worker with a 256 MB heap loads a 176 MB ensemble.
     */
    static void rewrite(Path in, Path out, String inputName, String outputName, boolean symbolicBatch) throws IOException {
        Edit batchFirst = valueInfo -> edit(valueInfo, Map.of(VALUE_INFO_TYPE,
                type -> edit(type, Map.of(TYPE_TENSOR,
                        tensor -> edit(tensor, Map.of(TENSOR_SHAPE, GraphEdit::symbolicFirstDim))))));
        Edit kept = symbolicBatch ? batchFirst : valueInfo -> valueInfo;
        Map<Integer, Edit> graphEdits = new HashMap<>();
        graphEdits.put(GRAPH_OUTPUT, output -> outputName.equals(name(output)) ? kept.apply(output) : null);
        if (symbolicBatch) {
            graphEdits.put(GRAPH_INPUT, input -> inputName.equals(name(input)) ? batchFirst.apply(input) : input);
            graphEdits.put(GRAPH_VALUE_INFO, dropped -> null);
        }
        ByteString edited = edit(mapped(in), Map.of(MODEL_GRAPH, graph -> edit(graph, graphEdits)));
        try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (ByteBuffer piece : edited.asReadOnlyByteBufferList()) {
                while (piece.hasRemaining()) {
                    channel.write(piece);
                }
            }
        }
    }

    /** The file's bytes, mapped, not read: a model is mostly weights, 88 MB for IS-Net fp16. */
    private static ByteString mapped(Path model) throws IOException {
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            return UnsafeByteOperations.unsafeWrap(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        }
    }

    /** What a model file declares: its inputs' shapes (-1 for a symbolic dimension) and its outputs' names, in order. */
    record Declared(Map<String, long[]> inputs, List<String> outputs) {
    }

    /**
     * Reads the declarations DJL does not show (its block describes inputs by name only), to check
     * a descriptor's names and take the input size from the file.
     */
    static Declared declared(Path model) throws IOException {
        Map<String, long[]> inputs = new LinkedHashMap<>();
        List<String> outputs = new ArrayList<>();
        ByteString graph = field(mapped(model), MODEL_GRAPH).get(0);
        for (ByteString input : field(graph, GRAPH_INPUT)) {
            List<Long> dims = new ArrayList<>();
            for (ByteString type : field(input, VALUE_INFO_TYPE)) {
                for (ByteString tensor : field(type, TYPE_TENSOR)) {
                    for (ByteString shape : field(tensor, TENSOR_SHAPE)) {
                        for (ByteString dim : field(shape, SHAPE_DIM)) {
                            dims.add(dimValue(dim));
                        }
                    }
                }
            }
            inputs.put(name(input), dims.stream().mapToLong(Long::longValue).toArray());
        }
        for (ByteString output : field(graph, GRAPH_OUTPUT)) {
            outputs.add(name(output));
        }
        return new Declared(inputs, outputs);
    }

    /** Every length-delimited occurrence of field {@code number} in {@code message}. */
    private static List<ByteString> field(ByteString message, int number) throws IOException {
        List<ByteString> found = new ArrayList<>();
        CodedInputStream in = reader(message);
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) == number && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                found.add(in.readBytes());
            } else {
                in.skipField(tag);
            }
        }
        return found;
    }

    /** A TensorShapeProto.Dimension's {@code dim_value}, or -1 for a {@code dim_param} or none. */
    private static long dimValue(ByteString dim) throws IOException {
        CodedInputStream in = dim.newCodedInput();
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) == DIM_VALUE && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                return in.readInt64();
            }
            in.skipField(tag);
        }
        return -1;
    }

    /**
     * A reader whose fields are views of {@code message}, not copies: the weights are most of a
     * model's bytes (88 MB for IS-Net fp16), and copying them at every level of the rewrite made
     * loading take half a gigabyte of heap. The model's bytes are wrapped, never changed.
     */
    private static CodedInputStream reader(ByteString message) {
        CodedInputStream in = message.newCodedInput();
        in.enableAliasing(true);
        in.setSizeLimit(Integer.MAX_VALUE);
        return in;
    }

    /** One message rewrite: the new bytes of a length-delimited field, or null to drop it. */
    @FunctionalInterface
    private interface Edit {
        ByteString apply(ByteString field) throws IOException;
    }

    /**
     * {@code message} with the fields named in {@code edits} passed through their edit: the fields
     * between edited ones are views of {@code message}, not copies.
     */
    private static ByteString edit(ByteString message, Map<Integer, Edit> edits) throws IOException {
        CodedInputStream in = reader(message);
        ByteString result = ByteString.EMPTY;
        int unchangedFrom = 0;
        for (int fieldStart = 0, tag; (tag = in.readTag()) != 0; fieldStart = in.getTotalBytesRead()) {
            int number = WireFormat.getTagFieldNumber(tag);
            Edit edit = edits.get(number);
            if (edit == null || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                in.skipField(tag);
                continue;
            }
            ByteString edited = edit.apply(in.readBytes());
            result = result.concat(message.substring(unchangedFrom, fieldStart));
            if (edited != null) {
                result = result.concat(header(number, edited.size())).concat(edited);
            }
            unchangedFrom = in.getTotalBytesRead();
        }
        return result.concat(message.substring(unchangedFrom));
    }

    /** The tag and length that precede a length-delimited field of {@code size} bytes. */
    private static ByteString header(int number, int size) throws IOException {
        ByteString.Output header = ByteString.newOutput(
                CodedOutputStream.computeTagSize(number) + CodedOutputStream.computeUInt32SizeNoTag(size));
        CodedOutputStream out = CodedOutputStream.newInstance(header);
        out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(size);
        out.flush();
        return header.toByteString();
    }

    /** A TensorShapeProto whose first dim is {@code dim_param: "batch"}, the others as they were. */
    private static ByteString symbolicFirstDim(ByteString shape) throws IOException {
        boolean[] first = {true};
        return edit(shape, Map.of(SHAPE_DIM, dim -> {
            if (!first[0]) {
                return dim;
            }
            first[0] = false;
            ByteString.Output symbolic = ByteString.newOutput();
            CodedOutputStream out = CodedOutputStream.newInstance(symbolic);
            out.writeString(DIM_PARAM, DIMENSION);
            out.flush();
            return symbolic.toByteString();
        }));
    }

    private static String name(ByteString valueInfo) throws IOException {
        CodedInputStream in = valueInfo.newCodedInput();
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) == VALUE_INFO_NAME) {
                return in.readStringRequireUtf8();
            }
            in.skipField(tag);
        }
        return "";
    }
}
