import Foundation

/// One metric family in Prometheus' text format (0.0.4): its HELP and TYPE lines, then a line per sample with
/// its labels in the order given, label values escaped (backslash, double quote, line feed).
public struct PrometheusFamily: Sendable {
    public enum Kind: String, Sendable { case counter, gauge }

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
        add(labels, text: String(value))
    }

    /// A duration or other fraction, to the microsecond.
    public mutating func add(_ labels: KeyValuePairs<String, String>, seconds value: Double) {
        add(labels, text: String(format: "%.6f", value))
    }

    private mutating func add(_ labels: KeyValuePairs<String, String>, text: String) {
        let pairs = labels.map { "\($0.key)=\"\(Self.escaped($0.value))\"" }
        lines.append("\(name){\(pairs.joined(separator: ","))} \(text)")
    }

    public var text: String {
        (["# HELP \(name) \(help)", "# TYPE \(name) \(kind.rawValue)"] + lines).map { $0 + "\n" }.joined()
    }

    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
