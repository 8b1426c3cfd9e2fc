import Foundation

/// One metric family in Prometheus' text format (0.0.4): its HELP and TYPE lines, then a line per sample with
/// its labels in the order given, label values escaped (backslash, double quote, line feed). A histogram's
/// series are its `_bucket` lines (cumulative, `le` last, `+Inf` included), `_sum` and `_count`.
public struct PrometheusFamily: Sendable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    let name: String
    let kind: Kind
    let help: String
    private var lines: [String] = []

    public init(_ name: String, _ kind: Kind, help: String) {
        self.name = name
        self.kind = kind
        self.help = help
    }

    public mutating func add(_ labels: KeyValuePairs<String, String>, _ value: Int) {
        add(labels.map { ($0.key, $0.value) }, text: String(value))
    }

    public mutating func add(_ labels: [(String, String)], _ value: Int) { add(labels, text: String(value)) }

    /// A duration or other fraction, to the microsecond.
    public mutating func add(_ labels: KeyValuePairs<String, String>, seconds value: Double) {
        add(labels.map { ($0.key, $0.value) }, text: String(format: "%.6f", value))
    }

    /// One histogram series: its buckets, sum and count.
    public mutating func add(_ labels: KeyValuePairs<String, String>, histogram: LatencyHistogram) {
        add(labels.map { ($0.key, $0.value) }, histogram: histogram)
    }

    public mutating func add(_ labels: [(String, String)], histogram: LatencyHistogram) {
        let pairs = labels.map { "\($0.0)=\"\(Self.escaped($0.1))\"" }
        for (bound, count) in histogram.cumulative {
            lines.append(Self.line("\(name)_bucket", pairs + ["le=\"\(Self.bound(bound))\""], String(count)))
        }
        lines.append(Self.line("\(name)_bucket", pairs + ["le=\"+Inf\""], String(histogram.count)))
        lines.append(Self.line("\(name)_sum", pairs, String(format: "%.6f", histogram.sum)))
        lines.append(Self.line("\(name)_count", pairs, String(histogram.count)))
    }

    private mutating func add(_ labels: [(String, String)], text: String) {
        lines.append(Self.line(name, labels.map { "\($0.0)=\"\(Self.escaped($0.1))\"" }, text))
    }

    private static func line(_ name: String, _ pairs: [String], _ value: String) -> String {
        "\(name){\(pairs.joined(separator: ","))} \(value)"
    }

    /// A bucket's bound as Prometheus clients write it: `0.005`, `1`, `300`.
    static func bound(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    public var text: String {
        (["# HELP \(name) \(help)", "# TYPE \(name) \(kind.rawValue)"] + lines).map { $0 + "\n" }.joined()
    }

    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
