extension Migration {
    /// The W3C `traceparent` of the request or job that queued a job, so its run links back to it in traces.
    static let m0026JobTraceParent = Migration(name: "0026_job_trace_parent") { _ in
        ["ALTER TABLE jobs ADD COLUMN trace_parent TEXT"]
    }
}
