#!/usr/bin/python3
"""Independent PyTorch reference for the paper's comparison (README, "The paper's comparison").

Trains BERT sequence classification on a GLUE single-sentence task (SST-2) with either
  mask      Zhao et al. 2020: real-valued scores S per weight matrix, M = 1[S > tau], the layer
            computes x (W * M)^T + b, straight-through gradient dL/dS = dL/d(W*M) * W;
            S ~ U(-a, c) with c = (a + tau)/p0 - a; Adam, constant lr, no weight decay; every
            block's Q, K, V, attention-output, FFN-in and FFN-out, plus pooler and a randomly
            initialised head (N(0, 0.02^2) weight, zero bias) that is itself masked, not trained.
  finetune  every parameter (embeddings, encoder, pooler, head) with AdamW, decoupled weight
            decay on everything but biases and LayerNorm, linear warm-up then linear decay.
Both clip the global gradient norm to 1.0 and use dropout 0.1 (hidden and attention).
It reports the best dev accuracy, evaluated every EVAL_EVERY optimiser steps and at the end.

Written from the method descriptions (design/methods.md) and the BERT paper, not from Masklab's
code: its own safetensors reader, WordPiece tokenizer, model, optimiser set-up and data loop.
The subset is the first N training rows; batches are drawn from a seeded random permutation of
it every epoch (its own order rule, not Masklab's).

Usage:
  train_reference.py --model DIR --data DIR --method mask|finetune [--examples 12000] [--epochs 3]
                     [--batch 32] [--max-length 64] [--lr 1e-3] [--warmup 0.1] [--seed 42]
                     [--eval-every 50] [--threshold 0.01] [--init-low 0.02] [--initial-sparsity 0.05]
                     [--weight-decay 0.01] [--steps N (stop early: timing only)]
Prints progress to stderr and one JSON object to stdout.
"""
import argparse
import json
import math
import os
import struct
import sys
import time
import unicodedata

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)


# ---------------------------------------------------------------- checkpoint

def read_safetensors(path):
    """name -> float32 tensor; the `bert.` prefix dropped. Header: u64 length, JSON, raw data."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size).decode("utf-8"))
        blob = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} has dtype {info['dtype']}; this reference reads F32 only")
        start, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(blob[start:end]), dtype=torch.float32).reshape(info["shape"]).clone()
        tensors[name[5:] if name.startswith("bert.") else name] = t
    return tensors


# ---------------------------------------------------------------- tokenizer

def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPiece:
    """Uncased BERT tokenization: clean, split CJK, lowercase, strip accents, split punctuation,
    then greedy longest-match-first word pieces (continuations prefixed `##`)."""

    def __init__(self, vocab_path, max_chars=100):
        with open(vocab_path, encoding="utf-8") as f:
            self.vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}
        self.max_chars = max_chars
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.pad = self.vocab["[PAD]"]

    def words(self, text):
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD:
                continue
            cat = unicodedata.category(ch)
            if ch in "\t\n\r " or cat == "Zs":
                out.append(" ")
            elif cat in ("Cc", "Cf"):
                continue
            elif is_cjk(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        words = []
        for token in "".join(out).split():
            token = "".join(c for c in unicodedata.normalize("NFD", token.lower()) if unicodedata.category(c) != "Mn")
            current = ""
            for ch in token:
                if is_punctuation(ch):
                    if current:
                        words.append(current)
                    words.append(ch)
                    current = ""
                else:
                    current += ch
            if current:
                words.append(current)
        return words

    def pieces(self, word):
        if len(word) > self.max_chars:
            return [self.unk]
        ids = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            ids.append(found)
            start = end
        return ids

    def encode(self, text, max_length):
        ids = [i for w in self.words(text) for i in self.pieces(w)]
        return [self.cls] + ids[: max_length - 2] + [self.sep]


def read_tsv(path, limit=None):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        si, li = header.index("sentence"), header.index("label")
        for line in f:
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) <= max(si, li):
                continue
            rows.append((fields[si], int(fields[li])))
            if limit is not None and len(rows) >= limit:
                break
    return rows


# ---------------------------------------------------------------- model

class Binarize(torch.autograd.Function):
    """1[s > tau] forward; identity backward (straight-through)."""

    @staticmethod
    def forward(ctx, scores, tau):
        return (scores > tau).to(scores.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Bert(torch.nn.Module):
    def __init__(self, weights, cfg, num_labels, dropout, head_generator):
        super().__init__()
        self.cfg = cfg
        self.h = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.eps = cfg["layer_norm_eps"]
        self.layers = cfg["num_hidden_layers"]
        self.dropout = dropout
        self.p = torch.nn.ParameterDict()
        for name, t in weights.items():
            if name.startswith("cls."):
                continue  # the masked-LM head plays no part in classification
            self.p[name.replace(".", "__")] = torch.nn.Parameter(t)
        head_w = torch.randn(num_labels, self.h, generator=head_generator) * cfg["initializer_range"]
        self.p["classifier__weight"] = torch.nn.Parameter(head_w)
        self.p["classifier__bias"] = torch.nn.Parameter(torch.zeros(num_labels))
        self.scores = torch.nn.ParameterDict()
        self.tau = 0.0

    def w(self, name):
        return self.p[name.replace(".", "__")]

    def masked_linears(self):
        names = []
        for i in range(self.layers):
            s = f"encoder.layer.{i}."
            names += [s + "attention.self.query", s + "attention.self.key", s + "attention.self.value",
                      s + "attention.output.dense", s + "intermediate.dense", s + "output.dense"]
        return names + ["pooler.dense", "classifier"]

    def add_scores(self, tau, a, p0, generator):
        """Scores ~ U(-a, c), c = (a + tau)/p0 - a, so P(S <= tau) = p0 exactly in expectation."""
        self.tau = tau
        c = (a + tau) / p0 - a
        for name in self.masked_linears():
            w = self.w(name + ".weight")
            s = torch.rand(w.shape, generator=generator) * (c + a) - a
            self.scores[name.replace(".", "__")] = torch.nn.Parameter(s)

    def linear(self, x, name):
        w = self.w(name + ".weight")
        key = name.replace(".", "__")
        if key in self.scores:
            w = w * Binarize.apply(self.scores[key], self.tau)
        return F.linear(x, w, self.w(name + ".bias"))

    def ln(self, x, name):
        return F.layer_norm(x, (self.h,), self.w(name + ".weight"), self.w(name + ".bias"), self.eps)

    def drop(self, x):
        return F.dropout(x, self.dropout, self.training)

    def forward(self, ids, mask):
        b, n = ids.shape
        heads, dh = self.heads, self.h // self.heads
        x = (self.w("embeddings.word_embeddings.weight")[ids] + self.w("embeddings.position_embeddings.weight")[:n]
             + self.w("embeddings.token_type_embeddings.weight")[0])
        x = self.drop(self.ln(x, "embeddings.LayerNorm"))
        additive = (1.0 - mask[:, None, None, :].float()) * -10000.0
        for i in range(self.layers):
            s = f"encoder.layer.{i}."
            split = lambda t: t.view(b, n, heads, dh).transpose(1, 2)  # noqa: E731
            q = split(self.linear(x, s + "attention.self.query"))
            k = split(self.linear(x, s + "attention.self.key"))
            v = split(self.linear(x, s + "attention.self.value"))
            probs = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + additive, dim=-1))
            ctx = (probs @ v).transpose(1, 2).reshape(b, n, self.h)
            x = self.ln(self.drop(self.linear(ctx, s + "attention.output.dense")) + x, s + "attention.output.LayerNorm")
            inner = F.gelu(self.linear(x, s + "intermediate.dense"))
            x = self.ln(self.drop(self.linear(inner, s + "output.dense")) + x, s + "output.LayerNorm")
        pooled = torch.tanh(self.linear(x[:, 0], "pooler.dense"))
        return self.linear(self.drop(pooled), "classifier")


def pad_batch(encoded, pad):
    n = max(len(e) for e in encoded)
    ids = torch.full((len(encoded), n), pad, dtype=torch.long)
    mask = torch.zeros((len(encoded), n), dtype=torch.long)
    for r, e in enumerate(encoded):
        ids[r, : len(e)] = torch.tensor(e)
        mask[r, : len(e)] = 1
    return ids, mask


def accuracy(model, dev, pad, batch):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(dev), batch):
            chunk = dev[i: i + batch]
            ids, mask = pad_batch([e for e, _ in chunk], pad)
            pred = model(ids, mask).argmax(-1)
            correct += sum(int(p == y) for p, (_, y) in zip(pred.tolist(), chunk))
    model.train()
    return correct / len(dev)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--method", choices=["mask", "finetune"], required=True)
    ap.add_argument("--examples", type=int, default=12000)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--lr", type=float)
    ap.add_argument("--warmup", type=float, help="fraction of the run (finetune default 0.1, mask 0)")
    ap.add_argument("--weight-decay", type=float, default=0.01, help="finetune only")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--eval-every", type=int, default=50)
    ap.add_argument("--threshold", type=float, default=0.01)
    ap.add_argument("--init-low", type=float, default=0.02)
    ap.add_argument("--initial-sparsity", type=float, default=0.05)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-grad-norm", type=float, default=1.0)
    ap.add_argument("--steps", type=int, help="stop after this many steps (timing)")
    args = ap.parse_args()
    mask_method = args.method == "mask"
    lr = args.lr if args.lr is not None else (1e-3 if mask_method else 1e-4)
    warmup = args.warmup if args.warmup is not None else (0.0 if mask_method else 0.1)

    started = time.perf_counter()
    torch.manual_seed(args.seed)
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    tok = WordPiece(os.path.join(args.model, "vocab.txt"))
    train = [(tok.encode(s, args.max_length), y) for s, y in read_tsv(os.path.join(args.data, "train.tsv"), args.examples)]
    dev = [(tok.encode(s, args.max_length), y) for s, y in read_tsv(os.path.join(args.data, "dev.tsv"))]
    gen = torch.Generator().manual_seed(args.seed)
    model = Bert(read_safetensors(os.path.join(args.model, "model.safetensors")), cfg, 2, args.dropout, gen)

    if mask_method:
        for p in model.p.values():
            p.requires_grad_(False)
        model.add_scores(args.threshold, args.init_low, args.initial_sparsity, gen)
        groups = [{"params": list(model.scores.values()), "weight_decay": 0.0}]
        optimizer = torch.optim.Adam(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)
        trainable = list(model.scores.values())
    else:
        decay = [p for k, p in model.p.items() if not (k.endswith("bias") or "LayerNorm" in k)]
        no_decay = [p for k, p in model.p.items() if k.endswith("bias") or "LayerNorm" in k]
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                                      lr=lr, betas=(0.9, 0.999), eps=1e-8)
        trainable = decay + no_decay

    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = steps_per_epoch * args.epochs
    warmup_steps = int(warmup * total + 0.5)  # half up (Python's round() would round 112.5 to even)

    def multiplier(step):  # 0-based step: warm-up (s+1)/W, then linear decay to the end of the run
        if warmup_steps > 0 and step < warmup_steps:
            return (step + 1) / warmup_steps
        if mask_method:
            return 1.0
        return max(0.0, (total - step) / max(1, total - warmup_steps))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, multiplier)
    n_trainable = sum(p.numel() for p in trainable)
    print(f"reference {args.method}: {total} steps, {n_trainable} trainable, {len(train)} train / {len(dev)} dev, lr {lr}", file=sys.stderr)

    evaluations = []
    step = 0
    train_seconds = 0.0
    model.train()
    order_gen = torch.Generator().manual_seed(args.seed + 1)
    done = False
    for _ in range(args.epochs):
        order = torch.randperm(len(train), generator=order_gen).tolist()
        for i in range(0, len(order), args.batch):
            t0 = time.perf_counter()
            chunk = [train[j] for j in order[i: i + args.batch]]
            ids, mask = pad_batch([e for e, _ in chunk], tok.pad)
            labels = torch.tensor([y for _, y in chunk])
            loss = F.cross_entropy(model(ids, mask), labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if args.max_grad_norm > 0:
                torch.nn.utils.clip_grad_norm_(trainable, args.max_grad_norm)
            optimizer.step()
            scheduler.step()
            step += 1
            train_seconds += time.perf_counter() - t0
            if step % args.eval_every == 0 or step == total:
                acc = accuracy(model, dev, tok.pad, args.batch)
                evaluations.append({"step": step, "accuracy": acc})
                print(f"  step {step}: loss {loss.item():.4f}  dev accuracy {acc:.4f}", file=sys.stderr)
            if args.steps and step >= args.steps:
                done = True
                break
        if done:
            break

    best = max(evaluations, key=lambda e: e["accuracy"]) if evaluations else None
    result = {
        "engine": f"pytorch {torch.__version__} (1 thread)",
        "method": args.method,
        "seed": args.seed,
        "steps": step,
        "lr": lr,
        "trainableParameters": n_trainable,
        "best": best,
        "final": evaluations[-1] if evaluations else None,
        "msPerStep": 1000 * train_seconds / max(1, step),
        "seconds": round(time.perf_counter() - started, 2),
        "evaluations": evaluations,
    }
    if mask_method:
        kept = sum(int((s > model.tau).sum()) for s in model.scores.values())
        result["sparsity"] = 1 - kept / n_trainable
    print(json.dumps(result))


if __name__ == "__main__":
    main()
