#!/usr/bin/python3
"""PyTorch twin of bench/engine.ts: one training step (forward, backward, gradient clipping,
Adam(W) update) of `mask`, `finetune` and `dsee` on the shared checkpoint at a fixed batch x
length, float32, one thread (OpenBLAS), timed the same way (warm-up, then the mean of RUNS steps).

The BERT model and the mask method are bench/reference/train_reference.py's (the independent
reference, written from the papers, sharing no code with Masklab); DSEE is added here the same
way, from its description (design/methods.md): on every block's query and value,
W + (alpha/r)·B·A + S, with A [r, in] ~ N(0, 0.02²), B [out, r] = 0 and S non-zero only on a fixed
random support of `entries` positions; A, B, S and the classification head train with AdamW.
The step sizes match bench/experiments/train-step.masklab (step_mask, step_finetune, step_dsee).

Usage: engine_reference.py MODEL_DIR BATCH LENGTH RUNS SEED [METHODS (comma-separated, default all)]
Prints one JSON line: {"engine", "results": [{"method", "msPerStep", "runs"}]}."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
import train_reference as ref  # noqa: E402  (pins one thread for torch and OpenBLAS)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

DSEE_RANK, DSEE_ALPHA, DSEE_ENTRIES = 16, 32, 64


class DseeBert(ref.Bert):
    """ref.Bert whose query and value weights are seen through W + (alpha/r)·B·A + S."""

    def add_dsee(self, generator):
        self.dsee = torch.nn.ParameterDict()
        self.support = {}
        for i in range(self.layers):
            for matrix in ("attention.self.query", "attention.self.value"):
                name = f"encoder.layer.{i}.{matrix}"
                out_features, in_features = self.w(name + ".weight").shape
                key = name.replace(".", "__")
                self.dsee[key + "__A"] = torch.nn.Parameter(torch.randn(DSEE_RANK, in_features, generator=generator) * 0.02)
                self.dsee[key + "__B"] = torch.nn.Parameter(torch.zeros(out_features, DSEE_RANK))
                self.dsee[key + "__S"] = torch.nn.Parameter(torch.zeros(DSEE_ENTRIES))
                self.support[key] = torch.randperm(out_features * in_features, generator=generator)[:DSEE_ENTRIES]

    def linear(self, x, name):
        key = name.replace(".", "__")
        if key not in self.support:
            return super().linear(x, name)
        w = self.w(name + ".weight")
        delta = (self.dsee[key + "__B"] @ self.dsee[key + "__A"]) * (DSEE_ALPHA / DSEE_RANK)
        delta = delta.reshape(-1).index_add(0, self.support[key], self.dsee[key + "__S"]).view_as(w)
        return F.linear(x, w + delta, self.w(name + ".bias"))


def build(method, model_dir, cfg, seed):
    gen = torch.Generator().manual_seed(seed)
    weights = ref.read_safetensors(os.path.join(model_dir, "model.safetensors"))
    model = (DseeBert if method == "dsee" else ref.Bert)(weights, cfg, 2, 0.1, gen)
    if method == "finetune":
        params = list(model.p.values())
        optimizer = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    else:
        for p in model.p.values():
            p.requires_grad_(False)
        if method == "mask":
            model.add_scores(0.01, 0.02, 0.05, gen)
            params = list(model.scores.values())
            optimizer = torch.optim.Adam(params, lr=1e-3)
        else:
            model.add_dsee(gen)
            head = [model.w("classifier.weight"), model.w("classifier.bias")]
            for p in head:
                p.requires_grad_(True)
            params = list(model.dsee.values()) + head
            optimizer = torch.optim.AdamW(params, lr=2e-4, weight_decay=0.01)
    model.train()
    return model, params, optimizer


def main():
    model_dir, batch, length, runs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    methods = sys.argv[6].split(",") if len(sys.argv) > 6 else ["mask", "finetune", "dsee"]
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, cfg["vocab_size"], (batch, length), generator=g)
    ids[:, 0] = 101
    mask = torch.ones(batch, length, dtype=torch.long)
    labels = torch.randint(0, 2, (batch,), generator=g)
    results = []
    for method in methods:
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
        start = time.perf_counter()
        for _ in range(runs):
            step()
        ms = (time.perf_counter() - start) * 1000 / runs
        results.append({"method": method, "msPerStep": ms, "runs": runs})
    print(json.dumps({"engine": f"PyTorch {torch.__version__} (OpenBLAS, 1 thread)", "results": results}))


if __name__ == "__main__":
    main()
