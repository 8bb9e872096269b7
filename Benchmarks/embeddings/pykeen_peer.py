#!/usr/bin/env python3
"""PyKEEN peer of kgfuse's Embeddings module: trains the same model with the same hyper-parameters and prints
wall seconds and filtered link-prediction metrics as one JSON line.

Install (CPU torch first, so pip does not fetch a CUDA build):
    pip install /opt/wheels/torch-*.whl && pip install pykeen==1.11.1

Usage (the config is a kgfuse EmbeddingConfig as JSON, e.g. the "config" object the Swift benchmark prints):
    python3 Benchmarks/embeddings/pykeen_peer.py --dataset ../shared/kg/umls \
        --config '{"model": "rotate", "dimension": 128, ...}' [--threads 2]

Mapping of kgfuse settings onto PyKEEN:
    model            transe → TransE(scoring_fct_norm=norm), distmult → DistMult, complex → ComplEx,
                     rotate → RotatE (PyKEEN's RotatE uses the L2 norm over complex components; kgfuse's norm=1
                     uses Sun et al.'s sum of moduli). Initialisation and constraints are PyKEEN's own defaults.
    dimension        embedding_dim (complex dimension for ComplEx / RotatE, as in kgfuse)
    loss             self-adversarial → sLCWA + NSSALoss(margin, adversarial_temperature) with num_negs_per_pos
                     negatives from the basic (uniform) or Bernoulli sampler;
                     cross-entropy → LCWA + CrossEntropyLoss (PyKEEN scores (h, r, ?) against all tails with
                     inverse triples for heads, close to kgfuse's 1-N both-sides scoring)
    regularizationWeight > 0 → LpRegularizer(p=3, weight) (N3)
    learningRate     Adam(lr); epochs, batchSize, seed as given
Evaluation: rank-based, filtered with train + valid + test, both sides, realistic ranks, on test.
Printed times: train_seconds (PyKEEN's own training wall time), eval_seconds, total_seconds (wall, whole pipeline)
and cpu_seconds (process CPU time of the whole pipeline, all threads; fairer than wall time on a shared machine).
"""
import argparse
import json
import os
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True, help="folder with train.txt, valid.txt, test.txt")
    parser.add_argument("--config", required=True, help="kgfuse EmbeddingConfig as a JSON object")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    config = json.loads(args.config)
    # OpenMP threads that spin while waiting starve each other on a shared 2-core machine; sleep instead.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    import torch

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    from pykeen.datasets import PathDataset
    from pykeen.pipeline import pipeline

    dataset = PathDataset(
        training_path=f"{args.dataset}/train.txt",
        testing_path=f"{args.dataset}/test.txt",
        validation_path=f"{args.dataset}/valid.txt",
        create_inverse_triples=config["loss"] == "cross-entropy",
    )
    model_name = {"transe": "TransE", "distmult": "DistMult", "complex": "ComplEx", "rotate": "RotatE"}[config["model"]]
    model_kwargs = {"embedding_dim": config["dimension"]}
    if config["model"] == "transe":
        model_kwargs["scoring_fct_norm"] = config["norm"]
    if config.get("regularizationWeight", 0) > 0:
        model_kwargs["regularizer"] = "lp"
        model_kwargs["regularizer_kwargs"] = {"p": 3.0, "weight": config["regularizationWeight"]}

    if config["loss"] == "self-adversarial":
        training_loop = "sLCWA"
        loss = "NSSA"
        loss_kwargs = {"margin": config["margin"], "adversarial_temperature": config["adversarialTemperature"]}
        sampler = "bernoulli" if config["corruption"] == "bernoulli" else "basic"
        extra = {
            "negative_sampler": sampler,
            "negative_sampler_kwargs": {"num_negs_per_pos": config["negatives"]},
        }
    else:
        training_loop = "LCWA"
        loss = "CrossEntropyLoss"
        loss_kwargs = {}
        extra = {}

    started = time.perf_counter()
    cpu_started = time.process_time()
    result = pipeline(
        dataset=dataset,
        model=model_name,
        model_kwargs=model_kwargs,
        loss=loss,
        loss_kwargs=loss_kwargs,
        training_loop=training_loop,
        optimizer="Adam",
        optimizer_kwargs={"lr": config["learningRate"]},
        training_kwargs={"num_epochs": config["epochs"], "batch_size": config["batchSize"], "use_tqdm": False},
        evaluator="RankBasedEvaluator",
        evaluator_kwargs={"filtered": True},
        evaluation_kwargs={"use_tqdm": False, "batch_size": 256},
        random_seed=config.get("seed", 42),
        device="cpu",
        **extra,
    )
    total = time.perf_counter() - started
    cpu_total = time.process_time() - cpu_started
    metrics = result.metric_results

    def metric(name):
        return float(metrics.get_metric(f"both.realistic.{name}"))

    print(json.dumps({
        "side": "pykeen",
        "dataset": args.dataset.rstrip("/").split("/")[-1],
        "model": config["model"],
        "train_seconds": result.train_seconds,
        "eval_seconds": result.evaluate_seconds,
        "total_seconds": total,
        "cpu_seconds": cpu_total,
        "mrr": metric("inverse_harmonic_mean_rank"),
        "hits_at_1": metric("hits_at_1"),
        "hits_at_3": metric("hits_at_3"),
        "hits_at_10": metric("hits_at_10"),
        "threads": args.threads,
        "config": config,
    }))


if __name__ == "__main__":
    main()
