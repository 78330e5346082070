// Exposes fingerprintDocument (test/browser/fingerprint.ts) to the Node test runner, which compares what
// each browser builds and runs with what Node does (test/e2e/same-bits.test.ts).
import { fingerprintDocument } from './fingerprint';

(window as unknown as { fingerprint: typeof fingerprintDocument }).fingerprint = fingerprintDocument;
document.title = 'ready';
