// `npm run cli -- run FILE --backend webgpu` through the real entry point (Dawn in Node).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { preset } from '../unit/helpers';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'lowrank-cli-gpu-'));

describe('CLI --backend webgpu', () => {
  it('writes a result document in the same form as the CPU one, with values that agree', async () => {
    const doc = preset('r3');
    doc.algorithm = { ...doc.algorithm, iterations: 200, recordEvery: 50 };
    const file = join(dir, 'r3-short.json');
    writeFileSync(file, JSON.stringify(doc));
    const results: Record<string, ReturnType<typeof JSON.parse>> = {};
    for (const backend of ['cpu', 'webgpu']) {
      const out = join(dir, `${backend}.json`);
      const { stderr } = await run('npx', ['tsx', 'src/cli/main.ts', 'run', file, '--backend', backend, '--out', out], { cwd: root });
      expect(stderr).toMatch(/Completed 200 iterations/);
      if (backend === 'webgpu') expect(stderr).toMatch(/WebGPU engine \(float32\) on /);
      results[backend] = JSON.parse(readFileSync(out, 'utf8'));
    }
    const cpu = results.cpu, gpu = results.webgpu;
    expect(gpu.format).toBe('lowrank-lab/result');
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.adapter.software).toBe(true);
    expect(Object.keys(gpu.trace).sort()).toEqual(Object.keys(cpu.trace).sort());
    expect(gpu.trace.iteration).toEqual(cpu.trace.iteration);
    expect(gpu.final.U.shape).toEqual(cpu.final.U.shape);
    expect(gpu.final.V.shape).toEqual(cpu.final.V.shape);
    expect(gpu.experiment).toEqual(cpu.experiment);
    // float32 vs float64 after 200 iterations: within 1e-4 relative on the objective (parity tests are stricter)
    for (let i = 0; i < cpu.trace.objective.length; i++) {
      expect(Math.abs(gpu.trace.objective[i] - cpu.trace.objective[i]) / cpu.trace.objective[i]).toBeLessThan(1e-4);
    }
  });

  it('--backend webgpu on a problem the GPU engine does not run exits 2 with the reason', async () => {
    const file = join(dir, 'r4.json');
    writeFileSync(file, JSON.stringify(preset('r4')));
    const err = await run('npx', ['tsx', 'src/cli/main.ts', 'run', file, '--backend', 'webgpu'], { cwd: root }).then(() => null, (e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/error: The WebGPU engine runs factorization, sensing, completion, robust PCA, HMF, symmetric sensing, symmetric completion and symmetric robust PCA; this least-squares problem runs on the CPU engine/);
  });
});
