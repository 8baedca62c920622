# PyTorch side of the attack benchmark: the same AlexNet-small (eval mode), PGD-10 (L-inf, random start, per-sample
# sign steps and projection) and a fixed-length until-flip FGSM loop (one grey level a step, per-step prediction check,
# per-sample stop) as a PyTorch user writes them; prints JSON timings (median seconds per attack of one batch).
import json
import struct
import sys
import time

import torch
import torch.nn.functional as F

from alexnet_small import alexnet_small

threads, batch, warmup, repeats, flip_steps = (int(a) for a in sys.argv[1:6])
weights_path = sys.argv[6]
torch.set_num_threads(threads)
torch.manual_seed(0)


def load(path):
    # A minimal safetensors reader (the pip package is absent): header length, JSON header, raw little-endian data.
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    header = json.loads(b[8:8 + n].decode('utf-8'))
    data = b[8 + n:]
    out = {}
    for k, v in header.items():
        if k == '__metadata__':
            continue
        s, e = v['data_offsets']
        assert v['dtype'] == 'F32'
        out[k] = torch.frombuffer(bytearray(data[s:e]), dtype=torch.float32).reshape(v['shape']).clone()
    return out


# MLRobust's names are features.convN / classifier.fcN; map them onto the Sequential's indices in order.
tensors = load(weights_path)
x = tensors.pop('input.x')
model = alexnet_small().eval()
params = [p for p in model.state_dict().keys()]
ours = [k for k in tensors.keys()]
order = sorted(ours, key=lambda k: (0 if k.startswith('features') else 1, int(''.join(c for c in k.split('.')[1] if c.isdigit())), 0 if k.endswith('weight') else 1))
model.load_state_dict({p: tensors[k] for p, k in zip(params, order)})
with torch.no_grad():
    y = model(x).argmax(1)
target = (y + 1) % 4


def goal_dir(xa, goal, targeted):
    xa = xa.clone().requires_grad_(True)
    out = model(xa)
    loss = F.cross_entropy(out, goal, reduction='sum')
    g, = torch.autograd.grad(loss, xa)
    return (-g if targeted else g), out.detach().argmax(1)


def pgd10():
    eps, alpha = 8 / 255, 2 / 255
    xa = torch.clamp(x + torch.empty_like(x).uniform_(-eps, eps), 0, 1)
    for _ in range(10):
        d, _ = goal_dir(xa, y, False)
        xa = torch.clamp(x + torch.clamp(xa + alpha * d.sign() - x, -eps, eps), 0, 1)
    return xa


def until_flip():
    xa = x.clone()
    active = torch.arange(batch)
    steps = torch.zeros(batch, dtype=torch.long)
    for t in range(flip_steps + 1):
        xs, goals = xa[active], target[active]
        d, pred = goal_dir(xs, goals, True)
        met = pred == goals
        steps[active] = t
        keep = ~met
        if t == flip_steps or not bool(keep.any()):
            break
        xa[active[keep]] = torch.clamp(xs[keep] + d[keep].sign() / 255, 0, 1)
        active = active[keep]
    return xa


def timed(fn):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


print(json.dumps({'pgd10_s': timed(pgd10), 'until_flip_s': timed(until_flip), 'torch': torch.__version__}))
