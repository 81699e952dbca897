#!/usr/bin/python3
"""PyTorch twin of bench/forward.ts: a batched BERT forward (float32, one thread) over the same
checkpoint, timed the same way. Prints one JSON line: {"engine", "seqPerSec", "msPerBatch", "runs"}.

Usage: forward_reference.py MODEL_DIR BATCH LENGTH RUNS SEED
Written from the math (no `transformers`); shares no code with Masklab."""
import json
import math
import os
import struct
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402

torch.set_num_threads(1)


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(blob[start:end]), dtype=torch.float32).reshape(info["shape"])
        out[name[5:] if name.startswith("bert.") else name] = t
    return out


def forward(p, cfg, ids, mask):
    b, n = ids.shape
    h = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    dh = h // heads
    eps = cfg["layer_norm_eps"]
    ln = lambda x, s: torch.nn.functional.layer_norm(x, (h,), p[s + ".weight"], p[s + ".bias"], eps)
    lin = lambda x, s: torch.nn.functional.linear(x, p[s + ".weight"], p[s + ".bias"])
    x = p["embeddings.word_embeddings.weight"][ids] + p["embeddings.position_embeddings.weight"][:n] + p["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    bias = (1.0 - mask[:, None, None, :].float()) * -1e9
    for i in range(cfg["num_hidden_layers"]):
        s = f"encoder.layer.{i}."
        split = lambda t: t.view(b, n, heads, dh).transpose(1, 2)
        q = split(lin(x, s + "attention.self.query"))
        k = split(lin(x, s + "attention.self.key"))
        v = split(lin(x, s + "attention.self.value"))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + bias, dim=-1)
        ctx = (probs @ v).transpose(1, 2).reshape(b, n, h)
        x = ln(lin(ctx, s + "attention.output.dense") + x, s + "attention.output.LayerNorm")
        inner = torch.nn.functional.gelu(lin(x, s + "intermediate.dense"))
        x = ln(lin(inner, s + "output.dense") + x, s + "output.LayerNorm")
    return x


def main():
    model_dir, batch, length, runs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    p = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, cfg["vocab_size"], (batch, length), generator=g)
    mask = torch.ones(batch, length, dtype=torch.long)
    with torch.no_grad():
        forward(p, cfg, ids, mask)  # warm-up
        start = time.perf_counter()
        for _ in range(runs):
            forward(p, cfg, ids, mask)
        elapsed = time.perf_counter() - start
    ms = elapsed * 1000 / runs
    print(json.dumps({"engine": f"pytorch {torch.__version__} (1 thread)", "seqPerSec": batch * 1000 / ms, "msPerBatch": ms, "runs": runs}))


if __name__ == "__main__":
    main()
