// Preloaded into the server the soak runs (node --expose-gc --require scripts/soak-gc.cjs): SIGWINCH (a signal
// close-with-grace leaves alone, unlike SIGUSR2) runs a full
// garbage collection, so the soak reads the memory that is live, not garbage V8 has not collected yet (on a
// 24 GB machine V8 lets the heap grow by hundreds of MB before a major collection, which would hide a leak or
// fake one).
process.on('SIGWINCH', () => globalThis.gc?.());
