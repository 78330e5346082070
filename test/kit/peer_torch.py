#!/usr/bin/env python3
"""The GPU kit's peer: what a researcher would write instead of the lab's WebGPU engine.

The same DGD+LOCAL iteration (SPEC eq. 1.10, Gram form) in float32 with PyTorch, batched over the J nodes:

    U^j <- sum_i w~_ji U^i - 2 mu (U^j (V_j^T V_j) - Y_j V_j)
    V_j <- V_j - 2 mu (V_j (U^j^T U^j) - Y_j^T U^j)

with torch.bmm-style batched products (`@` on (J, ., .) tensors), the mixing by neighbour lists or by a
dense W~, timed with CUDA events, eager and captured in a CUDA graph. TF32 is off: the arithmetic is the
same float32 as the WebGPU engine's.

It runs on the instances the kit exports (kit.mjs writes them into --dir):
  peer-cases/*/   the engine suite's DGD+LOCAL factorization cases, in float64, with the checks the WebGPU
                  engine is held to (reference value and tolerance per record, from test/engines/parity.ts);
                  the peer's trace must pass the same checks.
  peer-bench/*/   the benchmark's sizes (S, M, L, XL), in float32.

Without torch it says so; with NumPy it still runs the trace checks on the CPU in float32 (the same code
path, `@` on NumPy arrays), so the peer's arithmetic is checked on machines without a GPU.

  python3 peer_torch.py --dir WORK --out peer.json [--quick] [--budget SECONDS]
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np


def read(path, dtype, shape):
    return np.fromfile(path, dtype=dtype).reshape(shape)


class NumpyBackend:
    name = 'numpy'

    def array(self, a):
        return np.ascontiguousarray(a, dtype=np.float32)

    def index(self, a):
        return np.asarray(a, dtype=np.int64)

    def to64(self, x):
        return np.asarray(x, dtype=np.float64)

    def sync(self):
        pass


class TorchBackend:
    name = 'torch'

    def __init__(self):
        import torch
        self.torch = torch
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision('highest')
        self.dev = torch.device('cuda')

    def array(self, a):
        return self.torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).to(self.dev)

    def index(self, a):
        return self.torch.from_numpy(np.asarray(a, dtype=np.int64)).to(self.dev)

    def to64(self, x):
        return x.double().cpu().numpy()

    def sync(self):
        self.torch.cuda.synchronize()


def blocks(Y, partition):
    """Y (n x m) -> (J, n, mmax) zero-padded column blocks."""
    n = Y.shape[0]
    mmax = max(partition)
    out = np.zeros((len(partition), n, mmax), dtype=Y.dtype)
    o = 0
    for j, mj in enumerate(partition):
        out[j, :, :mj] = Y[:, o:o + mj]
        o += mj
    return out


def vblocks(V, partition, r):
    """V (m x r) -> (J, mmax, r) zero-padded row blocks (padded rows stay zero: their gradient is zero)."""
    mmax = max(partition)
    out = np.zeros((len(partition), mmax, r), dtype=V.dtype)
    o = 0
    for j, mj in enumerate(partition):
        out[j, :mj] = V[o:o + mj]
        o += mj
    return out


def unblock(Vb, partition):
    return np.concatenate([Vb[j, :mj] for j, mj in enumerate(partition)], axis=0)


def make_mixing(be, W, dense):
    """U (J, n, r) -> sum_i w~_ji U^i: a dense (J x J) product, or gathers over padded neighbour lists."""
    J = W.shape[0]
    if dense:
        Wd = be.array(W)

        def mix(U):
            return (Wd @ U.reshape(J, -1)).reshape(U.shape)
        return mix
    rows = [[(i, W[j, i]) for i in range(J) if W[j, i] != 0] for j in range(J)]
    D = max(len(r) for r in rows)
    idx = np.zeros((J, D), dtype=np.int64)
    w = np.zeros((J, D), dtype=np.float32)
    for j, r in enumerate(rows):
        for d, (i, x) in enumerate(r):
            idx[j, d] = i
            w[j, d] = x
    idx_d, w_d = be.index(idx), be.array(w)[:, :, None, None]

    def mix(U):
        return (U[idx_d] * w_d).sum(1)
    return mix


def step(U, V, Yb, mix, mu):
    """One DGD+LOCAL iteration (SPEC 1.10), Gram form, every node at once."""
    GV = V.mT @ V
    GU = U.mT @ U
    gU = 2 * (U @ GV - Yb @ V)
    gV = 2 * (V @ GU - Yb.mT @ U)
    return mix(U) - mu * gU, V - mu * gV


def metrics(be, U, V, Yb):
    """objective sum_j ||U^j V_j^T - Y_j||^2 and consensus error sum_j ||U^j - mean U||^2, in float64."""
    U64, V64, Y64 = be.to64(U), be.to64(V), be.to64(Yb)
    R = U64 @ np.swapaxes(V64, 1, 2) - Y64
    D = U64 - U64.mean(axis=0, keepdims=True)
    return {'objective': float((R * R).sum()), 'consensusError': float((D * D).sum())}


def check_case(be, path, scale=1.0):
    """The peer's trace of one engine-suite case against the checks the WebGPU engine is held to."""
    meta = json.load(open(os.path.join(path, 'meta.json')))
    J, n, r, part = meta['J'], meta['n'], meta['r'], meta['partition']
    m = sum(part)
    f = lambda name, shape: read(os.path.join(path, name), np.float64, shape)
    Y, U0, V0, W = f('Y.f64', (n, m)), f('U0.f64', (J, n, r)), f('V0.f64', (m, r)), f('W.f64', (J, J))
    Uref, Vref = f('Uref.f64', (J, n, r)), f('Vref.f64', (m, r))
    Yb, U, V = be.array(blocks(Y, part)), be.array(U0), be.array(vblocks(V0, part, r))
    mix = make_mixing(be, W, dense=False)
    mu = float(meta['mu']) * scale
    by_k = {}
    for c in meta['checks']:
        by_k.setdefault(c['k'], []).append(c)
    worst, where, k = 0.0, '', 0
    record_ks = sorted({c['k'] for c in meta['checks'] if c['record'] >= 0})
    for target in record_ks:
        while k < target:
            U, V = step(U, V, Yb, mix, mu)
            k += 1
        got = metrics(be, U, V, Yb)
        for c in by_k[target]:
            if c['record'] < 0:
                continue
            ratio = abs(got[c['key']] - c['want']) / c['tol']
            if not ratio <= worst:
                worst = math.inf if math.isnan(ratio) else ratio
                where = f"{c['key']} at iteration {target}: expected {c['want']}, got {got[c['key']]}, tolerance {c['tol']:.2e}"
    while k < meta['iterations']:
        U, V = step(U, V, Yb, mix, mu)
        k += 1
    Uf, Vf = be.to64(U), unblock(be.to64(V), part)
    dz = math.sqrt(float(((Uf - Uref) ** 2).sum() + ((Vf - Vref) ** 2).sum()))
    for c in meta['checks']:
        if c['record'] < 0:
            ratio = dz / c['tol']
            if not ratio <= worst:
                worst = math.inf if math.isnan(ratio) else ratio
                where = f"final iterate: distance {dz}, tolerance {c['tol']:.2e}"
    return {'name': os.path.basename(path), 'worst': worst, 'where': where, 'pass': worst <= 1}


def check_cases(be, work):
    root = os.path.join(work, 'peer-cases')
    paths = [os.path.join(root, d) for d in sorted(os.listdir(root))] if os.path.isdir(root) else []
    cases = [check_case(be, p) for p in paths]
    if not paths:
        return {'cases': [], 'passed': False}
    # not vacuous: on the largest case a 0.1 % larger step must fall outside the tolerance
    largest = max(paths, key=lambda p: os.path.getsize(os.path.join(p, 'Y.f64')))
    vac = check_case(be, largest, 1.001)
    vac.update({'name': f"0.1 % larger step: {vac['name']}", 'pass': vac['worst'] > 1})
    return {'cases': cases + [vac], 'passed': all(c['pass'] for c in cases) and vac['pass']}


def timed(be, run, seconds):
    """Iterations per second of run(k) with CUDA events, doubling k until one call takes `seconds`."""
    torch = be.torch
    run(2)
    torch.cuda.synchronize()
    k = 1
    while True:
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        run(k)
        b.record()
        b.synchronize()
        dt = a.elapsed_time(b) / 1000
        if dt >= seconds or k >= 1 << 20:
            return k / dt
        k *= 2


def bench_size(be, path, seconds):
    torch = be.torch
    meta = json.load(open(os.path.join(path, 'meta.json')))
    J, n, r, part = meta['J'], meta['n'], meta['r'], meta['partition']
    m, mj = sum(part), part[0]
    Y = read(os.path.join(path, 'Y.f32'), np.float32, (n, m))
    W = read(os.path.join(path, 'W.f32'), np.float32, (J, J))
    Yb = be.array(Y.reshape(n, J, mj).transpose(1, 0, 2))
    U0 = be.array(read(os.path.join(path, 'U0.f32'), np.float32, (J, n, r)))
    V0 = be.array(read(os.path.join(path, 'V0.f32'), np.float32, (m, r)).reshape(J, mj, r))
    mu = float(meta['mu'])
    out = {'size': os.path.basename(path), 'J': J, 'n': n, 'mj': mj, 'r': r}
    best = None
    for dense in ([False, True] if J <= 256 else [False]):
        mix = make_mixing(be, W, dense)
        state = [U0.clone(), V0.clone()]

        def run(k, mix=mix, state=state):
            U, V = state
            for _ in range(k):
                U, V = step(U, V, Yb, mix, mu)
            state[0], state[1] = U, V
        rate = timed(be, run, seconds)
        out['eagerDense' if dense else 'eagerNeighbours'] = rate
        if best is None or rate > best[0]:
            best = (rate, 'dense W~' if dense else 'neighbour lists', mix)
        del state
    out['eager'] = {'itPerSec': best[0], 'mixing': best[1]}
    # the same iteration captured in a CUDA graph (G iterations per replay), static buffers updated in place
    G = 16
    U, V = U0.clone(), V0.clone()
    mix = best[2]

    def body():
        U2, V2 = step(U, V, Yb, mix, mu)
        U.copy_(U2)
        V.copy_(V2)
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            body()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(G):
            body()

    def replay(k):
        for _ in range(max(1, k // G)):
            g.replay()
    rate = timed(be, lambda k: replay(k * G), seconds) * G
    out['graph'] = {'itPerSec': rate, 'itersPerGraph': G, 'finite': bool(torch.isfinite(U).all().item())}
    del g, Yb, U, V, U0, V0
    torch.cuda.empty_cache()
    return out


def copy_bandwidth(be, seconds, mib=1024):
    torch = be.torch
    a = torch.empty(mib * 2 ** 20 // 4, dtype=torch.float32, device='cuda')
    b = torch.empty_like(a)

    def run(k):
        for _ in range(k):
            b.copy_(a)
    rate = timed(be, run, seconds)
    del a, b
    torch.cuda.empty_cache()
    return rate * 2 * mib * 2 ** 20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--budget', type=float, default=90)
    ap.add_argument('--seconds', type=float, default=0.5)
    a = ap.parse_args()
    t0 = time.time()
    result = {}

    def save():
        result['seconds'] = time.time() - t0
        json.dump(result, open(a.out, 'w'), indent=1)
    try:
        import torch
        if not torch.cuda.is_available():
            raise RuntimeError(f'torch {torch.__version__} sees no CUDA device')
        be = TorchBackend()
        result.update({'torch': torch.__version__, 'cuda': torch.version.cuda, 'device': torch.cuda.get_device_name(0), 'tf32': False})
    except Exception as e:  # no torch, or no GPU: the trace checks on NumPy, and say why the rest was skipped
        result['skipped'] = f'{type(e).__name__}: {e}'
        result['numpyCheck'] = check_cases(NumpyBackend(), a.dir)
        save()
        print(f"[peer] skipped ({result['skipped']}); NumPy float32 trace checks: {'PASSED' if result['numpyCheck']['passed'] else 'FAILED'}")
        return
    result['parity'] = check_cases(be, a.dir)
    print(f"[peer] trace checks: {'PASSED' if result['parity']['passed'] else 'FAILED'}", flush=True)
    save()
    result['copy'] = copy_bandwidth(be, a.seconds, 16 if a.quick else 1024)
    save()
    result['bench'] = []
    root = os.path.join(a.dir, 'peer-bench')
    for size in ['S', 'M', 'L', 'XL']:
        path = os.path.join(root, size)
        if not os.path.isdir(path):
            continue
        if time.time() - t0 > a.budget:
            result['bench'].append({'size': size, 'error': 'skipped: the time budget was spent'})
            continue
        try:
            row = bench_size(be, path, a.seconds)
        except Exception as e:
            row = {'size': size, 'error': f'{type(e).__name__}: {e}'}
        result['bench'].append(row)
        print(f'[peer] {size}: {row}', flush=True)
        save()
    save()


if __name__ == '__main__':
    sys.exit(main())
