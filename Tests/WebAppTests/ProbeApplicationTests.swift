import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Probes
import Storage
import TestSupport
import Testing

/// What `leadgen worker --health-port` serves: the probes and the metrics, and no API or dashboard.
@Suite struct ProbeApplicationTests {
    @Test func servesProbesAndMetricsOnly() async throws {
        try await TestDatabases.withFresh(.sqlite) { database, _ in
            let root = AppRoot.testing(database)
            let app = buildProbeApplication(
                host: "127.0.0.1", port: 0, database: database, metrics: root.metricsSources,
                metricsToken: "worker-metrics", logger: root.logger)
            try await root.stores.jobs.enqueue(try NewJob(kind: "probe_check", json: "{}"))
            try await app.test(.live) { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok)
                let ready = try await client.execute(uri: "/readyz", method: .get)
                #expect(ready.status == .ok)
                #expect(String(buffer: ready.body) == "ready\n")
                let anonymous = try await client.execute(uri: "/metrics", method: .get)
                #expect(anonymous.status == .unauthorized)
                let metrics = try await client.execute(
                    uri: "/metrics", method: .get, headers: [.authorization: "Bearer worker-metrics"])
                #expect(metrics.status == .ok)
                let text = String(buffer: metrics.body)
                #expect(text.contains("leadgen_provider_requests_total") && text.contains("leadgen_jobs_run_total"))
                #expect(text.contains("leadgen_jobs{queue=\"default\",kind=\"probe_check\",state=\"pending\"} 1\n"))
                for path in ["/api/v1/leads", "/login", "/", "/hooks/abc"] {
                    let other = try await client.execute(uri: path, method: .get)
                    #expect(other.status == .notFound, "\(path) is not served by a worker")
                }
            }
        }
    }
}
