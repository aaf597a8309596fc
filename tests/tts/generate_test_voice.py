"""Build a tiny Piper-compatible voice model (``.onnx`` + ``.onnx.json``) with the onnx helpers.

It has a real Piper model's interface — inputs ``input`` [1, N] int64 phoneme ids,
``input_lengths`` [1] int64, ``scales`` [3] float32 (noise, length, noise_w); output
``output`` float32 [1, 1, T] — but instead of a neural network it plays a 172 Hz tone for
``SAMPLES_PER_ID`` samples per phoneme id, louder for higher ids. So Piper's real loading,
phonemizing and synthesis code runs, and the result is audio whose length follows the text.

Usage: ``python generate_test_voice.py OUT_DIR`` writes ``OUT_DIR/test-voice.onnx`` and
``OUT_DIR/test-voice.onnx.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

SAMPLE_RATE = 22050
SAMPLES_PER_ID = 1024
"""About 46 ms per id; Piper puts a pad id after every phoneme, so ~93 ms per phoneme."""
TONE_PERIOD = 128
"""Samples per cycle: 22050 / 128 ≈ 172 Hz."""


def build_model():
    """The ONNX graph: output = tone * (0.3 + 0.002 * id) * length_scale, per id, concatenated."""
    from onnx import TensorProto, helper

    tone = np.sin(2 * np.pi * np.arange(SAMPLES_PER_ID) / TONE_PERIOD).astype(np.float32)
    initializers = [
        helper.make_tensor("tone", TensorProto.FLOAT, [1, 1, SAMPLES_PER_ID], tone.tolist()),
        helper.make_tensor("step", TensorProto.FLOAT, [], [0.002]),
        helper.make_tensor("base", TensorProto.FLOAT, [], [0.3]),
        helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]),
        helper.make_tensor("axis2", TensorProto.INT64, [1], [2]),
        helper.make_tensor("one_idx", TensorProto.INT64, [], [1]),
        helper.make_tensor("out_shape", TensorProto.INT64, [3], [1, 1, -1]),
    ]
    nodes = [
        helper.make_node("Cast", ["input"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["ids_f", "axis2"], ["ids3"]),  # [1, N, 1]
        helper.make_node("Mul", ["ids3", "step"], ["scaled"]),
        helper.make_node("Add", ["scaled", "base"], ["amp"]),
        # Use every input, as the real model does: length scale sets loudness here and
        # input_lengths adds zero, so onnxruntime sees them consumed.
        helper.make_node("Gather", ["scales", "one_idx"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["amp", "length_scale"], ["amp_ls"]),
        helper.make_node("Cast", ["input_lengths"], ["len_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["len_f", "zero"], ["len_zero"]),
        helper.make_node("Add", ["amp_ls", "len_zero"], ["amp_final"]),
        helper.make_node("Mul", ["amp_final", "tone"], ["frames"]),  # [1, N, SAMPLES_PER_ID]
        helper.make_node("Reshape", ["frames", "out_shape"], ["output"]),  # [1, 1, N * S]
    ]
    graph = helper.make_graph(
        nodes,
        "briefcast-test-voice",
        inputs=[
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        outputs=[helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "time"])],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # readable by every onnxruntime piper-tts supports
    return model


def build_config() -> dict:
    """A minimal ``.onnx.json`` as Piper reads it, with Piper's default phoneme id map."""
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    return {
        "audio": {"sample_rate": SAMPLE_RATE, "quality": "x_low"},
        "espeak": {"voice": "en-us"},
        "language": {"code": "en_US"},
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_id_map": DEFAULT_PHONEME_ID_MAP,
        "num_symbols": 256,
        "num_speakers": 1,
        "speaker_id_map": {},
        "piper_version": "1.0.0",
    }


def write_test_voice(out_dir: Path, name: str = "test-voice") -> Path:
    """Write ``NAME.onnx`` and ``NAME.onnx.json`` into ``out_dir``; return the model path."""
    import onnx

    out_dir.mkdir(parents=True, exist_ok=True)
    model = build_model()
    onnx.checker.check_model(model)
    path = out_dir / f"{name}.onnx"
    onnx.save(model, str(path))
    path.with_name(path.name + ".json").write_text(json.dumps(build_config(), ensure_ascii=False))
    return path


if __name__ == "__main__":
    print(write_test_voice(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
