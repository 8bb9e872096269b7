#!/usr/bin/env python3
"""Peer timings for the kgfuse text encoder: all-MiniLM-L6-v2 in PyTorch (CPU) and ONNX Runtime.

Times the whole pipeline the Swift SentenceEncoder runs (tokenize, BERT forward, mean pooling over the
attention mask, L2 normalisation) for a batch of 1 and a batch of 32 sentences, at 1 and 2 threads, and prints
milliseconds per batch (median and fastest of the timed runs) as JSON. The ONNX model is exported from the same PyTorch
weights by this script (torch.export-based exporter, opset 18, dynamic batch and sequence axes).

Setup (see README.md beside this file):
    scripts/fetch-models.sh
    python3 -m venv /tmp/peer-venv
    /tmp/peer-venv/bin/pip install /opt/wheels/torch-*.whl onnxruntime transformers onnx onnxscript
    /tmp/peer-venv/bin/python Benchmarks/text-encoder/peer.py [--model DIR] [--runs N]
"""
import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np

# The sentences: batch 1 is the first; batch 32 cycles through all five (12 to 25 tokens each).
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "A knowledge graph stores facts as subject-predicate-object triples.",
    "Aspirin is used to treat pain, fever, and inflammation.",
    "I can't believe it's already 5 o'clock in São Paulo!",
    "Café résumé naïve: ÜNICODE text, emoji-free, with numbers 3.14159 and 2024.",
]


def default_model_dir():
    root = os.environ.get("KGFUSE_MODELS") or os.path.expanduser("~/.cache/kgfuse/models")
    return os.path.join(root, "all-MiniLM-L6-v2")


def batch(size):
    return [SENTENCES[i % len(SENTENCES)] for i in range(size)]


def median_ms(function, warmup, runs):
    for _ in range(warmup):
        function()
    samples = []
    processor_samples = []
    for _ in range(runs):
        processor_start = time.process_time()
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000.0)
        processor_samples.append((time.process_time() - processor_start) * 1000.0)
    return {
        "median": round(statistics.median(samples), 3),
        "min": round(min(samples), 3),
        "cpu": round(statistics.median(processor_samples), 3),
    }


def serve(function, warmup):
    """Answers 'run N' lines on stdin with the wall and process CPU milliseconds of N calls of `function`."""
    for _ in range(warmup):
        function()
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 2 or parts[0] != "run":
            break
        wall, cpu = [], []
        for _ in range(int(parts[1])):
            processor_start = time.process_time()
            start = time.perf_counter()
            function()
            wall.append((time.perf_counter() - start) * 1000.0)
            cpu.append((time.process_time() - processor_start) * 1000.0)
        print(json.dumps({"wall": wall, "cpu": cpu}), flush=True)


def mean_pool_normalize(hidden, mask):
    mask = mask[..., None].astype(np.float32)
    pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=default_model_dir())
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batches", default="1,32")
    parser.add_argument("--serve", action="store_true",
                        help="serve timings to `kgfuse-bench text-encoder`: ONNX Runtime only, the first of --threads and "
                             "--batches; prints 'ready', then answers each stdin line 'run N' with one JSON line of N "
                             "per-run samples {\"wall\": [ms...], \"cpu\": [ms...]}")
    arguments = parser.parse_args()

    import torch
    import onnxruntime
    import transformers
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(arguments.model)
    model = AutoModel.from_pretrained(arguments.model, attn_implementation="eager").eval()

    def tokenize(sentences, tensors):
        return tokenizer(sentences, padding=True, truncation=True, max_length=256, return_tensors=tensors)

    def torch_encode(sentences):
        inputs = tokenize(sentences, "pt")
        with torch.inference_mode():
            hidden = model(**inputs).last_hidden_state
        mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()

    onnx_path = os.path.join(tempfile.mkdtemp(prefix="kgfuse-minilm-"), "model.onnx")
    sample = tokenize(SENTENCES[:2], "pt")
    export_arguments = dict(
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={name: {0: "batch", 1: "sequence"} for name in ["input_ids", "attention_mask", "token_type_ids"]}
        | {"last_hidden_state": {0: "batch", 1: "sequence"}},
        opset_version=18,
    )
    # The exporter reports progress on stdout; keep stdout for the JSON result.
    class Exported(torch.nn.Module):
        """The BERT forward with keyword arguments only (transformers 5 takes `use_cache` as its third positional
        parameter, so a positional export would pass the token types there)."""

        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    with torch.inference_mode(), contextlib.redirect_stdout(sys.stderr):
        arguments_tuple = (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"])
        # The torch.export-based exporter (needs onnxscript): the TorchScript one traces transformers 5's
        # attention-mask code wrongly (ONNX and PyTorch then differ by more than 1 on the hidden states).
        torch.onnx.export(Exported(model), arguments_tuple, onnx_path, dynamo=True, **export_arguments)

    def onnx_session(threads):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        return onnxruntime.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])

    def onnx_encode(session, sentences):
        inputs = tokenize(sentences, "np")
        feed = {name: inputs[name].astype(np.int64) for name in ["input_ids", "attention_mask", "token_type_ids"]}
        hidden = session.run(None, feed)[0]
        return mean_pool_normalize(hidden, inputs["attention_mask"])

    # Both runtimes must agree with each other before they are timed.
    reference = torch_encode(SENTENCES)
    check = onnx_encode(onnx_session(1), SENTENCES)
    agreement = float(np.abs(reference - check).max())
    if agreement > 1e-4:
        sys.exit(f"ONNX Runtime and PyTorch embeddings differ by {agreement}: the ONNX export is wrong")

    if arguments.serve:
        threads = int(arguments.threads.split(",")[0])
        sentences = batch(int(arguments.batches.split(",")[0]))
        session = onnx_session(threads)
        serve(lambda: onnx_encode(session, sentences), arguments.warmup)
        return

    results = {
        "model": arguments.model,
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
        "transformers": transformers.__version__,
        "sentences": "batch 1 = SENTENCES[0] (12 tokens); batch 32 = SENTENCES cycled (12..25 tokens, padded)",
        "timed": "tokenize + forward + mean pool + L2 normalise; ms per batch: median and fastest wall clock, median process CPU time",
        "onnx_vs_torch_max_abs_diff": agreement,
        "runs": arguments.runs,
        "ms_per_batch": {},
    }
    for threads in [int(value) for value in arguments.threads.split(",")]:
        torch.set_num_threads(threads)
        session = onnx_session(threads)
        for size in [int(value) for value in arguments.batches.split(",")]:
            sentences = batch(size)
            results["ms_per_batch"][f"torch threads={threads} batch={size}"] = median_ms(
                lambda: torch_encode(sentences), arguments.warmup, arguments.runs)
            results["ms_per_batch"][f"onnxruntime threads={threads} batch={size}"] = median_ms(
                lambda: onnx_encode(session, sentences), arguments.warmup, arguments.runs)
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
