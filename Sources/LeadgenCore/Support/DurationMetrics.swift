import Synchronization

/// Events counted with how long each took, by a fixed list of labels: a counter family and a histogram family
/// over the same series, as `/metrics` shows jobs run, vendor calls and requests answered.
public final class DurationMetrics: MetricsSource {
    let labels: [String]
    let counter: (name: String, help: String)
    let histogram: (name: String, help: String)
    let bounds: [Double]
    private let series = Mutex<[[String]: LatencyHistogram]>([:])

    public init(
        labels: [String], counter: (name: String, help: String), histogram: (name: String, help: String),
        bounds: [Double]
    ) {
        self.labels = labels
        self.counter = counter
        self.histogram = histogram
        self.bounds = bounds
    }

    /// One event; `values` follow `labels`, one each.
    public func record(_ values: [String], seconds: Double) {
        series.withLock { $0[values, default: LatencyHistogram(bounds: bounds)].record(seconds) }
    }

    /// The counter, then the histogram, series ordered by their label values.
    public func prometheusText() -> String {
        var count = PrometheusFamily(counter.name, .counter, help: counter.help)
        var time = PrometheusFamily(histogram.name, .histogram, help: histogram.help)
        for (values, durations) in series.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let pairs = Array(zip(labels, values))
            count.add(pairs, durations.count)
            time.add(pairs, histogram: durations)
        }
        return count.text + time.text
    }
}
