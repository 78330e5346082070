/** A Web Worker of a run's thread pool in the page (threads-page.ts): every job runs until the run lets it go. */
import { type ThreadJob, runThreadJob } from './threads';

onmessage = (ev: MessageEvent<ThreadJob>) => runThreadJob(ev.data);
