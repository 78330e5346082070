/**
 * The peer: one DGD+LOCAL iteration written with TensorFlow.js ops on its WebGPU backend, on the same
 * Dawn adapter. All J nodes are batched (equal mⱼ), the products are batched matMuls, and the sparse
 * mixing is a weighted sum of gathers over the neighbour lists (padded to the largest degree) — the
 * natural way to write it in TF.js without a dense J×J product.
 */
import type { NodeInstance } from '../../src/core/build';

type Tf = typeof import('@tensorflow/tfjs-core');

export async function tfjsPeer(gpu: GPU) {
  (globalThis as unknown as { navigator: unknown }).navigator ??= { gpu, userAgent: 'node' };
  const tf: Tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  await tf.setBackend('webgpu');
  await tf.ready();
  // Completion: read one element of the result, which flushes TF.js's queue and waits for it (one tiny
  // readback per timed batch of iterations, as the session does per record).
  const sync = async (t: import('@tensorflow/tfjs-core').Tensor) => {
    const one = tf.slice(t, [0, 0, 0], [1, 1, 1]);
    await one.data();
    one.dispose();
  };
  return {
    version: tf.version_core,
    backend: tf.getBackend(),
    async rate(inst: NodeInstance, rate: (run: (k: number) => Promise<void>, maxK?: number) => Promise<number>): Promise<number> {
      const p = inst.problem;
      if (p.kind !== 'factorization') throw new Error('factorization only');
      const J = p.partition.length, { n, r } = p, mj = p.partition[0];
      if (p.partition.some((x) => x !== mj)) throw new Error('the TF.js peer needs equal blocks');
      const Y = tf.tensor3d(Float32Array.from(p.blocks.flatMap((B) => Array.from(B.data))), [J, n, mj]);
      let U = tf.tensor3d(Float32Array.from(inst.init.X), [J, n, r]);
      let V = tf.tensor3d(Float32Array.from(inst.init.Y), [J, mj, r]);
      // neighbour lists padded to the largest degree with weight 0
      const rows = Array.from({ length: J }, (_, j) => Array.from({ length: J }, (_, i) => [i, inst.W.data[j * J + i]] as const).filter(([, w]) => w !== 0));
      const deg = Math.max(...rows.map((x) => x.length));
      const idx = Array.from({ length: deg }, (_, e) => tf.tensor1d(rows.map((x) => x[e]?.[0] ?? 0), 'int32'));
      const wts = Array.from({ length: deg }, (_, e) => tf.tensor3d(rows.map((x) => x[e]?.[1] ?? 0), [J, 1, 1]));
      const mu = inst.stepsize;
      const step = () => {
        const [U2, V2] = tf.tidy(() => {
          const YV = tf.matMul(Y, V);
          const YtU = tf.matMul(Y, U, true, false);
          const VtV = tf.matMul(V, V, true, false);
          const UtU = tf.matMul(U, U, true, false);
          const GU = tf.mul(2, tf.sub(tf.matMul(U, VtV), YV));
          const GV = tf.mul(2, tf.sub(tf.matMul(V, UtU), YtU));
          let mixed = tf.mul(tf.gather(U, idx[0]), wts[0]);
          for (let e = 1; e < deg; e++) mixed = tf.add(mixed, tf.mul(tf.gather(U, idx[e]), wts[e]));
          return [tf.sub(mixed, tf.mul(mu, GU)), tf.sub(V, tf.mul(mu, GV))];
        });
        U.dispose();
        V.dispose();
        U = U2 as typeof U;
        V = V2 as typeof V;
      };
      const it = await rate(async (k) => {
        for (let i = 0; i < k; i++) step();
        await sync(U);
      });
      for (const t of [Y, U, V, ...idx, ...wts]) t.dispose();
      return it;
    },
    dispose() {
      tf.disposeVariables();
    },
  };
}
