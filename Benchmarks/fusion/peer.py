#!/usr/bin/env python3
"""PyTorch and ONNX Runtime peers of kgfuse's FusionModel, timed on the benchmark shape.

The model mirrors Sources/Fusion/FusionModel.swift layer for layer:
  per modality  LayerNorm(f) -> Linear(f, D) + learned positions [n, D] + type embedding
  [CLS]         learned [1, 1, D] + type embedding 0
  KG tokens     frozen table [E, k] -> Linear(k, D) + s * u (u learned [D]) + type embedding
  encoder       nn.TransformerEncoderLayer(D, heads, ff, GELU, pre-norm, batch_first), then LayerNorm(D)
  pooling       masked mean per modality and over the KG tokens
  gate          Linear((G+1) D, 32) -> tanh -> Linear(32, G), + (-1e9 on missing groups), softmax
  heads         classifier Linear(D, C) on the gated sum; retrieval Linear(D, 32), L2-normalised
Shape (the issue's): D 384, 6 heads, ff 2048, 1 layer; tokens [CLS] + 32 text (384 features) + 49 image
patches (16x16x3 = 768 features) + 50 audio frames (128 log-Mel bins) + 4 KG (entity width 128) = 136; 7 classes.
Training step: forward in training mode (dropout 0.1), mean cross-entropy, backward, AdamW step.

Prints one JSON object: milliseconds (median of the timed repetitions) for batch 1 and batch 32 inference
(PyTorch and ONNX Runtime) and a training step at batch 32 (PyTorch), at 1 and 2 threads.
Run: python3 Benchmarks/fusion/peer.py [--repeats 30]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

D, HEADS, FF, LAYERS, CLASSES = 384, 6, 2048, 1, 7
MODALITIES = [("text", 32, 384), ("image", 49, 768), ("audio", 50, 128)]
KG_SLOTS, KG_ENTITIES, KG_WIDTH = 4, 64, 128
GATE_HIDDEN, RETRIEVAL = 32, 32


class Fusion(nn.Module):
    def __init__(self):
        super().__init__()
        self.norms = nn.ModuleList([nn.LayerNorm(f) for _, _, f in MODALITIES])
        self.projections = nn.ModuleList([nn.Linear(f, D) for _, _, f in MODALITIES])
        self.positions = nn.ParameterList([nn.Parameter(torch.randn(n, D) * 0.02) for _, n, _ in MODALITIES])
        self.types = nn.Embedding(len(MODALITIES) + 2, D)
        self.cls = nn.Parameter(torch.randn(1, 1, D) * 0.02)
        self.register_buffer("table", torch.randn(KG_ENTITIES, KG_WIDTH) / KG_WIDTH ** 0.5)
        self.kg_projection = nn.Linear(KG_WIDTH, D)
        self.kg_direction = nn.Parameter(torch.randn(D) * 0.02)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(D, HEADS, FF, dropout=0.1, activation="gelu",
                                                                batch_first=True, norm_first=True)
                                     for _ in range(LAYERS)])
        self.final_norm = nn.LayerNorm(D)
        groups = len(MODALITIES) + 1
        self.gate_hidden = nn.Linear((groups + 1) * D, GATE_HIDDEN)
        self.gate_output = nn.Linear(GATE_HIDDEN, groups)
        self.classifier = nn.Linear(D, CLASSES)
        self.retrieval = nn.Linear(D, RETRIEVAL)

    def forward(self, text, image, audio, kg_ids, kg_scalars, present):
        # present: [b, M] float (1 present, 0 missing) for the modalities; KG slots all filled here.
        b = text.shape[0]
        pieces = [self.cls.expand(b, 1, D) + self.types.weight[0]]
        keep = [torch.ones(b, 1)]
        for m, x in enumerate((text, image, audio)):
            tokens = self.projections[m](self.norms[m](x)) + self.positions[m] + self.types.weight[m + 1]
            pieces.append(tokens)
            keep.append(present[:, m:m + 1].expand(b, x.shape[1]))
        kg = self.kg_projection(self.table[kg_ids]) + kg_scalars.unsqueeze(-1) * self.kg_direction
        pieces.append(kg + self.types.weight[len(MODALITIES) + 1])
        keep.append(torch.ones(b, KG_SLOTS))
        hidden = torch.cat(pieces, dim=1)
        keep = torch.cat(keep, dim=1)
        padding = keep == 0
        for layer in self.layers:
            hidden = layer(hidden, src_key_padding_mask=padding)
        hidden = self.final_norm(hidden)
        pooled, offset = [], 1
        for m, (_, n, _) in enumerate(MODALITIES):
            weights = present[:, m:m + 1] / n
            pooled.append((hidden[:, offset:offset + n] * weights.unsqueeze(-1)).sum(1))
            offset += n
        pooled.append(hidden[:, offset:offset + KG_SLOTS].mean(1))
        group_present = torch.cat([present, torch.ones(b, 1)], dim=1)
        scores = self.gate_output(torch.tanh(self.gate_hidden(torch.cat([hidden[:, 0]] + pooled, dim=1))))
        gate = torch.softmax(scores + (1 - group_present) * -1e9, dim=-1)
        fused = (torch.stack(pooled, dim=1) * gate.unsqueeze(-1)).sum(1)
        return self.classifier(fused), F.normalize(self.retrieval(fused), dim=-1), gate


def inputs(batch, generator):
    return (torch.randn(batch, 32, 384, generator=generator), torch.randn(batch, 49, 768, generator=generator),
            torch.randn(batch, 50, 128, generator=generator),
            torch.randint(0, KG_ENTITIES, (batch, KG_SLOTS), generator=generator),
            torch.rand(batch, KG_SLOTS, generator=generator), torch.ones(batch, len(MODALITIES)))


def median_ms(function, repeats, warmup=5):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def serve(function, warmup=5):
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
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - processor_start) * 1000)
        print(json.dumps({"wall": wall, "cpu": cpu}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--serve", action="store_true",
                        help="serve ONNX Runtime inference timings to `kgfuse-bench fusion` at --threads and --batch: "
                             "prints 'ready', then answers each stdin line 'run N' with one JSON line of N per-run "
                             "samples {\"wall\": [ms...], \"cpu\": [ms...]}")
    parser.add_argument("--training", action="store_true",
                        help="with --serve: time PyTorch training steps (train mode, cross-entropy, backward, AdamW) "
                             "instead of ONNX Runtime inference")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1)
    args = parser.parse_args()
    import onnxruntime as ort

    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    model = Fusion()
    batch1, batch32 = inputs(1, generator), inputs(32, generator)
    labels = torch.randint(0, CLASSES, (32,), generator=generator)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)

    model.eval()
    onnx_path = os.path.join(tempfile.mkdtemp(), "fusion.onnx")
    names = ["text", "image", "audio", "kg_ids", "kg_scalars", "present"]
    torch.backends.mha.set_fastpath_enabled(False)  # the fused encoder kernel has no ONNX export
    with torch.no_grad():
        torch.onnx.export(model, batch1, onnx_path, input_names=names, output_names=["logits", "retrieval", "gate"],
                          dynamic_axes={name: {0: "batch"} for name in names}, opset_version=17, dynamo=False)
    torch.backends.mha.set_fastpath_enabled(True)

    if args.serve and args.training:
        torch.set_num_threads(args.threads)
        batch = inputs(args.batch, generator)
        targets = torch.randint(0, CLASSES, (args.batch,), generator=generator)
        model.train()

        def train_step():
            optimizer.zero_grad(set_to_none=True)
            logits, _, _ = model(*batch)
            F.cross_entropy(logits, targets).backward()
            optimizer.step()
        serve(train_step, warmup=2)
        return
    if args.serve:
        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
        feed = {name: tensor.numpy() for name, tensor in zip(names, inputs(args.batch, generator))}
        serve(lambda: session.run(None, feed))
        return

    results = {"shape": {"model_dimension": D, "heads": HEADS, "feed_forward": FF, "layers": LAYERS,
                         "tokens": 1 + sum(n for _, n, _ in MODALITIES) + KG_SLOTS},
               "torch": torch.__version__, "onnxruntime": ort.__version__}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])

        def ort_feed(batch):
            return {name: tensor.numpy() for name, tensor in zip(names, batch)}
        feed1, feed32 = ort_feed(batch1), ort_feed(batch32)

        model.eval()
        with torch.inference_mode():
            torch_b1 = median_ms(lambda: model(*batch1), args.repeats)
            torch_b32 = median_ms(lambda: model(*batch32), max(args.repeats // 3, 5))
        ort_b1 = median_ms(lambda: session.run(None, feed1), args.repeats)
        ort_b32 = median_ms(lambda: session.run(None, feed32), max(args.repeats // 3, 5))

        model.train()

        def step():
            optimizer.zero_grad(set_to_none=True)
            logits, _, _ = model(*batch32)
            F.cross_entropy(logits, labels).backward()
            optimizer.step()
        torch_step = median_ms(step, max(args.repeats // 3, 5), warmup=2)
        results[f"threads_{threads}"] = {
            "torch_batch1_ms": round(torch_b1, 3), "torch_batch32_ms": round(torch_b32, 3),
            "onnxruntime_batch1_ms": round(ort_b1, 3), "onnxruntime_batch32_ms": round(ort_b32, 3),
            "torch_train_step_batch32_ms": round(torch_step, 3)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
