#!/usr/bin/env python3
"""Writes tiny-matting.onnx: a few-hundred-byte stand-in for IS-Net with the same interface.

Input  `input`  float [1,3,1024,1024] (planar RGB, normalised by the caller)
Output `1890`   float [1,1,1024,1024] listed FIRST, as a decoy: code must fetch `output` by name
Output `output` float [1,1,1024,1024] = sigmoid(8*R - 8*B + 0*G), a "red is foreground" matte

With the IS-Net preprocessing (v/255 - 0.5) a pure red pixel gives sigmoid(8) ~ 1, a pure blue one
sigmoid(-8) ~ 0, so tests can tell a correct channel order and mean from a wrong one.
It also writes tiny-matting-64.onnx, the same graph on a 64x64 input, so that benchmarks of the
orchestration (queues, SQLite, files) are not dominated by resizing to 1024x1024, and
tiny-matting-fixed-batch.onnx, which ends in a Reshape to a constant [1,1,64,64]: a graph that, like
the quantised IS-Net, bakes a batch of one into an operator and so cannot run batches, and
tiny-logits-32.onnx (below), a model with another interface and preprocessing.
Run with Debian's python3-onnx:  python3 make-tiny-model.py
"""
import onnx
from onnx import TensorProto, helper

weights = helper.make_tensor("w", TensorProto.FLOAT, [1, 3, 1, 1], [8.0, 0.0, -8.0])
bias = helper.make_tensor("b", TensorProto.FLOAT, [1], [0.0])
half = helper.make_tensor("half", TensorProto.FLOAT, [], [0.5])
nodes = [
    helper.make_node("Conv", ["input", "w", "b"], ["logits"]),
    helper.make_node("Sigmoid", ["logits"], ["output"]),
    helper.make_node("Mul", ["output", "half"], ["1890"]),
]
def write(size, file, nodes=nodes, extra=(), input_name="input", outputs=("1890", "output")):
    shape_in = [1, 3, size, size]
    shape_out = [1, 1, size, size]
    graph = helper.make_graph(
        nodes,
        "tiny-matting",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, shape_in)],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, shape_out) for name in outputs],
        initializer=[weights, bias, half, *extra],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="mattepipe-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, file)


write(1024, "tiny-matting.onnx")
write(64, "tiny-matting-64.onnx")
fixed = helper.make_tensor("fixed_shape", TensorProto.INT64, [4], [1, 1, 64, 64])
write(64, "tiny-matting-fixed-batch.onnx", nodes=[
    helper.make_node("Conv", ["input", "w", "b"], ["logits"]),
    helper.make_node("Sigmoid", ["logits"], ["sigmoid"]),
    helper.make_node("Reshape", ["sigmoid", "fixed_shape"], ["output"]),
    helper.make_node("Mul", ["output", "half"], ["1890"]),
], extra=[fixed])
# A second interface, as U2-NetP's differs from IS-Net's: input `input.1` [1,3,32,32], and the
# matte as raw logits 8*R - 8*B (no sigmoid) in `logits`, listed after a decoy `1890`; its
# descriptor tiny-logits-32.properties beside it asks for ImageNet mean/std, scaling by the image
# maximum and a sigmoid on the output.
write(32, "tiny-logits-32.onnx", nodes=[
    helper.make_node("Conv", ["input.1", "w", "b"], ["logits"]),
    helper.make_node("Mul", ["logits", "half"], ["1890"]),
], input_name="input.1", outputs=("1890", "logits"))
