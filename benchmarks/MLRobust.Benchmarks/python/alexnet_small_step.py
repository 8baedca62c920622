# PyTorch side of the training-step benchmark: the same AlexNet-small as MLRobust's DirectClassifier
# (PAPERS.md section 1), batch 128, 1x64x64, SGD with momentum; prints JSON timings.
import json
import sys
import time

import torch
import torch.nn as nn

from alexnet_small import alexnet_small

threads, batch, warmup, steps = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)


model = alexnet_small()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
x = torch.rand(batch, 1, 64, 64)
y = torch.randint(0, 4, (batch,))
loss_fn = nn.CrossEntropyLoss()


def train_step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()


def forward_backward():
    model.zero_grad()
    loss_fn(model(x), y).backward()


def forward():
    with torch.no_grad():
        model(x)


def timed(fn):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


model.train()
step = timed(train_step)
fwd_bwd = timed(forward_backward)
model.eval()
fwd = timed(forward)
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "train_step_s": step,
                  "forward_backward_s": fwd_bwd, "forward_s": fwd}))
