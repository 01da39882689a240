/** The service is configured by its environment only. */
export interface Config {
  port: number;
  region: string;
  table: string;
  options: string[];
  /** Local runs only (dynalite, DynamoDB Local); unset on EKS. */
  endpoint?: string;
  /**
   * The file holding the admin token, mounted from AWS Secrets Manager by
   * the Secrets Store CSI driver; without it the admin routes do not exist.
   */
  adminTokenFile?: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const options = (env.VOTE_OPTIONS ?? ${{ values.voteOptions | join(",") | dump }})
    .split(',')
    .map(o => o.trim())
    .filter(Boolean);
  if (options.length < 2)
    throw new Error('VOTE_OPTIONS needs at least two options');
  return {
    port: Number(env.PORT ?? 3000),
    region: env.AWS_REGION ?? ${{ values.awsRegion | dump }},
    table: env.DYNAMO_TABLE ?? ${{ values.name | dump }},
    options,
    endpoint: env.DYNAMO_ENDPOINT || undefined,
    adminTokenFile: env.ADMIN_TOKEN_FILE || undefined,
  };
}
