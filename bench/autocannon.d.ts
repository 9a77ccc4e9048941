/**
 * The part of autocannon's programmatic API the benchmarks use. autocannon ships no
 * type declarations; these follow its README ("API" and "Results").
 */
declare module 'autocannon' {
  /** An hdr-histogram summary: min, max, mean and percentiles. */
  export type Histogram = {
    min: number;
    max: number;
    average: number;
    stddev: number;
    total: number;
    p2_5: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  };

  export type Request = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  };

  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: Request[];
    timeout?: number;
    title?: string;
    /** A first run whose figures are discarded, so the JIT and the pools are warm. */
    warmup?: { connections?: number; duration?: number };
  };

  export type Result = {
    title?: string;
    url: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  };

  /** Runs a load test; resolves with its results. */
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
