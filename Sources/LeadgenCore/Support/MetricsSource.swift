/// Something `/metrics` shows: its samples in the Prometheus text format, with their HELP and TYPE lines.
public protocol MetricsSource: Sendable {
    func prometheusText() async -> String
}
