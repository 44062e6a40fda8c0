/**
 * The latest report of the supervisor that started this process (`npm start -- --processes`
 * sends one to the router on every change: which process is up, restarting, how often it was
 * restarted), or undefined when it runs on its own.
 */
export function supervisorReports(): () => Record<string, unknown> | undefined {
  let latest: Record<string, unknown> | undefined;
  if (process.send) {
    process.on('message', (message: unknown) => {
      const report = message as { type?: unknown; processes?: unknown } | null;
      if (report?.type === 'supervisor' && typeof report.processes === 'object' && report.processes !== null) {
        latest = report.processes as Record<string, unknown>;
      }
    });
  }
  return () => latest;
}
