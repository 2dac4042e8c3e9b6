/**
 * Makes the BLAS libraries' worker threads sleep, rather than spin, between
 * products.
 *
 * oneDNN's OpenMP runtime (GNU libgomp) keeps an idle worker spinning on
 * its core for a while after each threaded product, and OpenBLAS's threads
 * do the same for 2^28 cycles. On a 2-core machine that core is the one the
 * wasm kernels' worker thread, V8's collector and any other program need:
 * measured with another process busy (load 3 to 4), a CNN training step
 * took a median of 36 to 81 ms with the spinning OpenMP thread against 17 to
 * 19 ms with it sleeping, and 20 ms on one thread. Both libraries read
 * these settings once, when they are loaded, from the environment: libgomp
 * `OMP_WAIT_POLICY` (OpenMP 5.2, section 21.2.3: "passive" threads do not
 * consume cycles while waiting), OpenBLAS `OPENBLAS_THREAD_TIMEOUT` (the
 * log2 of the cycles a thread spins, 4 to 30, see OpenBLAS's
 * driver/others/blas_server.c). A sleeping thread costs a wake-up of some
 * microseconds per threaded product, of which a training step has a few.
 *
 * @module
 */

/** The settings applied, by environment variable. */
export const PASSIVE_WAIT_SETTINGS: Readonly<Record<string, string>> = {
  OMP_WAIT_POLICY: "passive",
  OPENBLAS_THREAD_TIMEOUT: "4",
};

/**
 * Sets each variable of {@linkcode PASSIVE_WAIT_SETTINGS} that the
 * environment does not already set (a user's own choice wins) and that
 * this process may set; returns the names it set. Call it before a
 * library is opened: later it changes nothing for that library.
 *
 * @example
 * ```ts
 * preferPassiveWaits(); // ["OMP_WAIT_POLICY", "OPENBLAS_THREAD_TIMEOUT"], with --allow-env
 * const blas = openBlasLibrary();
 * ```
 */
export function preferPassiveWaits(): string[] {
  const set: string[] = [];
  for (const [variable, value] of Object.entries(PASSIVE_WAIT_SETTINGS)) {
    const permission = Deno.permissions.querySync({ name: "env", variable });
    if (permission.state !== "granted" || Deno.env.has(variable)) continue;
    Deno.env.set(variable, value);
    set.push(variable);
  }
  return set;
}
