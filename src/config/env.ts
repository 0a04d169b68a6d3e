/**
 * Step 1 of 3: read raw `HAYON_*` variables. All optional, all strings; no defaults here.
 * This is the only module that reads `process.env`.
 */
export interface HayonEnv {
  dataDir?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  publicUrl?: string | undefined;
  logLevel?: string | undefined;
  secretKey?: string | undefined;
  secretKeyPrevious?: string | undefined;
  mongodbUrl?: string | undefined;
  amqpUrl?: string | undefined;
  workerConcurrency?: string | undefined;
  maxAttempts?: string | undefined;
  leaseSeconds?: string | undefined;
  sweepIntervalMs?: string | undefined;
  strandedAfterMs?: string | undefined;
  strandedWhileBusyAfterMs?: string | undefined;
  defaultTimezone?: string | undefined;
  platformTimeoutMs?: string | undefined;
  storeTimeoutMs?: string | undefined;
  mediaMaxBytes?: string | undefined;
  fetchAllowHosts?: string | undefined;
  rateLimitPerToken?: string | undefined;
  hookRateLimit?: string | undefined;
  blueskyResolverUrl?: string | undefined;
  blueskyPlcUrl?: string | undefined;
  blueskyVideoUrl?: string | undefined;
  reconnectGraceHours?: string | undefined;
  webIdleHours?: string | undefined;
  webSessionDays?: string | undefined;
  accountCheckHours?: string | undefined;
  tokenRefreshMinutes?: string | undefined;
  pacing?: string | undefined;
  paceLimits?: string | undefined;
  s3Bucket?: string | undefined;
  s3Endpoint?: string | undefined;
  s3PublicUrl?: string | undefined;
  s3Region?: string | undefined;
  s3ForcePathStyle?: string | undefined;
  s3AccessKeyId?: string | undefined;
  s3SecretAccessKey?: string | undefined;
  slackBotToken?: string | undefined;
  slackSigningSecret?: string | undefined;
  slackAppToken?: string | undefined;
  slackApiUrl?: string | undefined;
  slackWorkspace?: string | undefined;
  discordToken?: string | undefined;
  metricsToken?: string | undefined;
  metricsPort?: string | undefined;
  metricsHost?: string | undefined;
  discordAppId?: string | undefined;
  discordPublicKey?: string | undefined;
  discordApiUrl?: string | undefined;
  discordWorkspace?: string | undefined;
  tumblrClientId?: string | undefined;
  tumblrClientSecret?: string | undefined;
  tumblrOauthUrl?: string | undefined;
  tumblrApiUrl?: string | undefined;
  metaAppId?: string | undefined;
  metaAppSecret?: string | undefined;
  metaOauthUrl?: string | undefined;
  metaGraphUrl?: string | undefined;
  threadsAppId?: string | undefined;
  threadsAppSecret?: string | undefined;
  threadsOauthUrl?: string | undefined;
  threadsGraphUrl?: string | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): HayonEnv {
  return {
    dataDir: env.HAYON_DATA_DIR,
    port: env.HAYON_PORT,
    host: env.HAYON_HOST,
    publicUrl: env.HAYON_PUBLIC_URL,
    logLevel: env.HAYON_LOG_LEVEL,
    secretKey: env.HAYON_SECRET_KEY,
    secretKeyPrevious: env.HAYON_SECRET_KEY_PREVIOUS,
    mongodbUrl: env.HAYON_MONGODB_URL,
    amqpUrl: env.HAYON_AMQP_URL,
    workerConcurrency: env.HAYON_WORKER_CONCURRENCY,
    maxAttempts: env.HAYON_MAX_ATTEMPTS,
    leaseSeconds: env.HAYON_LEASE_SECONDS,
    sweepIntervalMs: env.HAYON_SWEEP_INTERVAL_MS,
    strandedAfterMs: env.HAYON_STRANDED_AFTER_MS,
    strandedWhileBusyAfterMs: env.HAYON_STRANDED_WHILE_BUSY_AFTER_MS,
    defaultTimezone: env.HAYON_DEFAULT_TIMEZONE,
    platformTimeoutMs: env.HAYON_PLATFORM_TIMEOUT_MS,
    storeTimeoutMs: env.HAYON_STORE_TIMEOUT_MS,
    mediaMaxBytes: env.HAYON_MEDIA_MAX_BYTES,
    fetchAllowHosts: env.HAYON_FETCH_ALLOW_HOSTS,
    rateLimitPerToken: env.HAYON_RATE_LIMIT_PER_TOKEN,
    hookRateLimit: env.HAYON_HOOK_RATE_LIMIT,
    blueskyResolverUrl: env.HAYON_BLUESKY_RESOLVER_URL,
    blueskyPlcUrl: env.HAYON_BLUESKY_PLC_URL,
    blueskyVideoUrl: env.HAYON_BLUESKY_VIDEO_URL,
    reconnectGraceHours: env.HAYON_RECONNECT_GRACE_HOURS,
    webIdleHours: env.HAYON_WEB_IDLE_HOURS,
    webSessionDays: env.HAYON_WEB_SESSION_DAYS,
    accountCheckHours: env.HAYON_ACCOUNT_CHECK_HOURS,
    tokenRefreshMinutes: env.HAYON_TOKEN_REFRESH_MINUTES,
    pacing: env.HAYON_PACING,
    paceLimits: env.HAYON_PACE_LIMITS,
    s3Bucket: env.HAYON_S3_BUCKET,
    s3Endpoint: env.HAYON_S3_ENDPOINT,
    s3PublicUrl: env.HAYON_S3_PUBLIC_URL,
    s3Region: env.HAYON_S3_REGION,
    s3ForcePathStyle: env.HAYON_S3_FORCE_PATH_STYLE,
    s3AccessKeyId: env.HAYON_S3_ACCESS_KEY_ID,
    s3SecretAccessKey: env.HAYON_S3_SECRET_ACCESS_KEY,
    slackBotToken: env.HAYON_SLACK_BOT_TOKEN,
    slackSigningSecret: env.HAYON_SLACK_SIGNING_SECRET,
    slackAppToken: env.HAYON_SLACK_APP_TOKEN,
    slackApiUrl: env.HAYON_SLACK_API_URL,
    slackWorkspace: env.HAYON_SLACK_WORKSPACE,
    discordToken: env.HAYON_DISCORD_TOKEN,
    metricsToken: env.HAYON_METRICS_TOKEN,
    metricsPort: env.HAYON_METRICS_PORT,
    metricsHost: env.HAYON_METRICS_HOST,
    discordAppId: env.HAYON_DISCORD_APP_ID,
    discordPublicKey: env.HAYON_DISCORD_PUBLIC_KEY,
    discordApiUrl: env.HAYON_DISCORD_API_URL,
    discordWorkspace: env.HAYON_DISCORD_WORKSPACE,
    tumblrClientId: env.HAYON_TUMBLR_CLIENT_ID,
    tumblrClientSecret: env.HAYON_TUMBLR_CLIENT_SECRET,
    tumblrOauthUrl: env.HAYON_TUMBLR_OAUTH_URL,
    tumblrApiUrl: env.HAYON_TUMBLR_API_URL,
    metaAppId: env.HAYON_META_APP_ID,
    metaAppSecret: env.HAYON_META_APP_SECRET,
    metaOauthUrl: env.HAYON_META_OAUTH_URL,
    metaGraphUrl: env.HAYON_META_GRAPH_URL,
    threadsAppId: env.HAYON_THREADS_APP_ID,
    threadsAppSecret: env.HAYON_THREADS_APP_SECRET,
    threadsOauthUrl: env.HAYON_THREADS_OAUTH_URL,
    threadsGraphUrl: env.HAYON_THREADS_GRAPH_URL,
  };
}
