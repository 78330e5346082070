"""The DGD+LOCAL iteration of `npm run bench` (Gram form, lazy Metropolis ring) in NumPy float64, and the
machine's float64 matmul peak: the peer of the CPU engine (test/bench/cpu-peer.ts starts this script).

  python3 numpy_peer.py '{"sizes": {"S": [16, 256, 64, 8]}, "seconds": 3}'

prints one JSON object: {"numpy": version, "blas": name, "peak_gflops": …, "rates": {"S": it/s, …}}. Iterations
per second come from two run lengths (k and 2k iterations), so start-up and first-touch costs cancel.
"""
import json
import sys
import time

import numpy as np


def iteration_rate(J, n, mj, r, seconds):
    rng = np.random.default_rng(1)
    Y = rng.standard_normal((J, n, mj))
    U = 0.1 * rng.standard_normal((J, n, r))
    V = 0.1 * rng.standard_normal((J, mj, r))
    mu = 1e-4
    # lazy Metropolis weights on a ring: 1/3 per neighbour, halved, and the rest on the diagonal
    w_self, w_nb = (1 + 1 / 3) / 2, (1 / 3) / 2
    Yt = Y.transpose(0, 2, 1)
    # every product and update into buffers allocated once (out=): no temporaries in the loop but the mixing's
    YV, UGV, Un = np.empty((J, n, r)), np.empty((J, n, r)), np.empty((J, n, r))
    YtU, VGU = np.empty((J, mj, r)), np.empty((J, mj, r))
    GU, GV = np.empty((J, r, r)), np.empty((J, r, r))

    def run(k):
        nonlocal U, V, Un
        for _ in range(k):
            np.matmul(Y, V, out=YV)
            np.matmul(Yt, U, out=YtU)
            np.matmul(U.transpose(0, 2, 1), U, out=GU)
            np.matmul(V.transpose(0, 2, 1), V, out=GV)
            np.matmul(U, GV, out=UGV)
            np.matmul(V, GU, out=VGU)
            np.subtract(UGV, YV, out=UGV)  # ∇_U / 2
            np.multiply(UGV, 2 * mu, out=UGV)
            np.subtract(VGU, YtU, out=VGU)  # ∇_V / 2
            np.multiply(VGU, 2 * mu, out=VGU)
            # Uʲ ← w_self Uʲ + w_nb (Uʲ⁻¹ + Uʲ⁺¹) − μ∇_U (a ring)
            np.multiply(U, w_self, out=Un)
            Un[1:] += w_nb * U[:-1]
            Un[0] += w_nb * U[-1]
            Un[:-1] += w_nb * U[1:]
            Un[-1] += w_nb * U[0]
            Un -= UGV
            V -= VGU
            U, Un = Un, U

    run(2)
    k = 1
    while True:
        t0 = time.perf_counter()
        run(k)
        t1 = time.perf_counter()
        run(2 * k)
        t2 = time.perf_counter()
        if t2 - t0 >= seconds or k >= 1 << 16:
            return k / max((t2 - t1) - (t1 - t0), 1e-9)
        k *= 2


def matmul_peak(seconds):
    a = np.random.default_rng(2).standard_normal((2048, 2048))
    b = np.random.default_rng(3).standard_normal((2048, 2048))
    a @ b
    best, end = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        a @ b
        best = max(best, 2 * 2048 ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        return cfg["Build Dependencies"]["blas"]["name"]
    except Exception:  # older NumPy: no dict mode
        return "unknown"


def main():
    opts = json.loads(sys.argv[1])
    rates = {name: iteration_rate(*size, opts["seconds"]) for name, size in opts["sizes"].items()}
    print(json.dumps({"numpy": np.__version__, "blas": blas_name(), "peak_gflops": matmul_peak(opts["seconds"]), "rates": rates}))


main()
