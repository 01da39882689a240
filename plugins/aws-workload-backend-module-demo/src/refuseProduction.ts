/** The demo answers with made-up data: never in a production backend. */
export function refuseProduction(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      'The aws-workload demo refuses to run with NODE_ENV=production: remove @aws-workload/plugin-aws-workload-backend-module-demo from the backend',
    );
  }
}
