/** Entry point of `npm run cli -- …`. */
import { runCli } from './cli';
import { provideNodeKernels } from '../engine/kernels-node';
import { provideNodeThreads } from '../engine/threads-node';

// the CPU engine's WebAssembly products, assembled from wasm/kernels.wat when a run first needs them, and
// threads for a large run's nodes
provideNodeKernels();
provideNodeThreads();

// output piped into a reader that stops early (`… | head`): stop quietly, as command-line tools do
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});
process.exitCode = code;
