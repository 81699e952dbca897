#!/usr/bin/python3
"""PyTorch twin of bench/trainStep.ts: one training step (forward, backward, clipping, Adam
update) of `mask` and `finetune` on the shared checkpoint at a fixed batch × length, one thread,
timed the same way. The model and the methods are train_reference.py's (the independent
reference), so nothing here is shared with Masklab.

Usage: train_step_reference.py MODEL_DIR BATCH LENGTH RUNS SEED
Prints one JSON line: {"engine", "results": [{"method", "msPerStep", "stepsPerSec", "seqPerSec", "runs"}]}."""
import json
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_reference as ref  # noqa: E402  (sets one thread and OpenBLAS's thread count)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def build(method, model_dir, cfg, seed):
    gen = torch.Generator().manual_seed(seed)
    model = ref.Bert(ref.read_safetensors(os.path.join(model_dir, "model.safetensors")), cfg, 2, 0.1, gen)
    if method == "mask":
        for p in model.p.values():
            p.requires_grad_(False)
        model.add_scores(0.01, 0.02, 0.05, gen)
        params = list(model.scores.values())
        optimizer = torch.optim.Adam(params, lr=1e-3)
    else:
        params = list(model.p.values())
        optimizer = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    model.train()
    return model, params, optimizer


def main():
    model_dir, batch, length, runs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, cfg["vocab_size"], (batch, length), generator=g)
    ids[:, 0] = 101
    mask = torch.ones(batch, length, dtype=torch.long)
    labels = torch.randint(0, 2, (batch,), generator=g)
    results = []
    for method in ("mask", "finetune"):
        model, params, optimizer = build(method, model_dir, cfg, seed)

        def step():
            loss = F.cross_entropy(model(ids, mask), labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            return loss.item()

        step()  # warm-up
        step()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            step()
            times.append((time.perf_counter() - start) * 1000)
        ms = statistics.median(times)  # as trainStep.ts: single steps slowed by other jobs do not count
        results.append({"method": method, "msPerStep": ms, "stepsPerSec": 1000 / ms, "seqPerSec": batch * 1000 / ms, "runs": runs})
    print(json.dumps({"engine": f"pytorch {torch.__version__} (1 thread)", "results": results}))


if __name__ == "__main__":
    main()
