import Foundation

/// Counts calls in fixed windows (per minute, hour, day, or HubSpot's ten seconds) the way vendors meter
/// them: a window's count resets when the clock enters the next window.
struct FixedWindows {
    struct Window {
        var seconds: Int
        var limit: Int
        var index = -1
        var used = 0
    }

    var windows: [String: [Window]] = [:]

    /// Counts a call when every window has room; otherwise returns the first full window untouched.
    mutating func admit(_ key: String, limits: [(seconds: Int, limit: Int)], now: Date) -> (
        admitted: Bool, state: [Window]
    ) {
        var state = windows[key] ?? limits.map { Window(seconds: $0.seconds, limit: $0.limit) }
        let epoch = Int(now.timeIntervalSince1970)
        for i in state.indices {
            let index = epoch / state[i].seconds
            if state[i].index != index {
                state[i].index = index
                state[i].used = 0
            }
        }
        if let full = state.first(where: { $0.used >= $0.limit }) {
            windows[key] = state
            return (false, [full])
        }
        for i in state.indices { state[i].used += 1 }
        windows[key] = state
        return (true, state)
    }

    static func secondsLeft(_ window: Window, now: Date) -> Int {
        let epoch = Int(now.timeIntervalSince1970)
        return (window.index + 1) * window.seconds - epoch
    }
}
