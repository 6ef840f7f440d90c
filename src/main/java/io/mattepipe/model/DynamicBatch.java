package io.mattepipe.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.Map;

/**
 * Gives an ONNX model a symbolic batch dimension. Exported IS-Net files declare their image input
 * and outputs as {@code [1, …]}, and ONNX Runtime refuses any other batch for a fixed dimension,
 * even where every operator in the graph would take one. This edits the declarations only, at the
 * protobuf level, copying everything else (the weights) byte for byte: the image input's first
 * dimension and every output's become {@code "batch"}, and the intermediate shape annotations
 * ({@code value_info}), which repeat the 1, are dropped for ONNX Runtime to infer again.
 * A graph that bakes the 1 into its operators (constant {@code Resize} sizes, say) still fails
 * for a batch above one, which is why {@link MattingModel} tries one batch when it loads.
 */
final class DynamicBatch {

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
    private static final int DIM_PARAM = 2;

    private DynamicBatch() {
    }

    /** The model with {@code inputName}'s and every output's first dimension symbolic. */
    static byte[] rewrite(byte[] model, String inputName) throws IOException {
        Edit batchFirst = valueInfo -> edit(valueInfo, Map.of(VALUE_INFO_TYPE,
                type -> edit(type, Map.of(TYPE_TENSOR,
                        tensor -> edit(tensor, Map.of(TENSOR_SHAPE, DynamicBatch::symbolicFirstDim))))));
        Edit graph = g -> edit(g, Map.of(
                GRAPH_INPUT, input -> inputName.equals(name(input)) ? batchFirst.apply(input) : input,
                GRAPH_OUTPUT, batchFirst,
                GRAPH_VALUE_INFO, dropped -> null));
        return edit(ByteString.copyFrom(model), Map.of(MODEL_GRAPH, graph)).toByteArray();
    }

    /** One message rewrite: the new bytes of a length-delimited field, or null to drop it. */
    @FunctionalInterface
    private interface Edit {
        ByteString apply(ByteString field) throws IOException;
    }

    /** Copies {@code message} field by field, passing the fields named in {@code edits} through their edit. */
    private static ByteString edit(ByteString message, Map<Integer, Edit> edits) throws IOException {
        CodedInputStream in = message.newCodedInput();
        in.setSizeLimit(Integer.MAX_VALUE);
        ByteString.Output buffer = ByteString.newOutput(message.size());
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        for (int tag; (tag = in.readTag()) != 0; ) {
            Edit edit = edits.get(WireFormat.getTagFieldNumber(tag));
            if (edit == null || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                in.skipField(tag, out);
                continue;
            }
            ByteString edited = edit.apply(in.readBytes());
            if (edited != null) {
                out.writeBytes(WireFormat.getTagFieldNumber(tag), edited);
            }
        }
        out.flush();
        return buffer.toByteString();
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
