// Exposes fingerprintDocument (test/browser/fingerprint.ts) to the Node test runner, which compares what
// each browser builds and runs with what Node does (test/e2e/same-bits.test.ts).
import { fingerprintDocument } from './fingerprint';
import { providePageKernels } from '../../src/engine/kernels-page';

// the CPU engine on the products the app's workers use, as Node's tests do (test/support/kernels-setup.ts)
providePageKernels();

(window as unknown as { fingerprint: typeof fingerprintDocument }).fingerprint = fingerprintDocument;
document.title = 'ready';
