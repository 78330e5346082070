/** A Node worker thread of a run's pool (threads-node.ts): every job it is posted runs until the run lets it go. */
import { parentPort } from 'node:worker_threads';
import { type ThreadJob, runThreadJob } from './threads';

parentPort!.on('message', (job: ThreadJob) => runThreadJob(job));
