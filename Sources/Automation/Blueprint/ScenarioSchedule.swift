import Foundation

/// When a scenario runs by itself: Make's `scheduling` object (reference make.md §7).
public enum ScenarioSchedule: Sendable, Equatable {
    /// Started by its trigger (a webhook): no schedule.
    case immediately
    /// Only when asked (the API, the CLI).
    case onDemand
    /// `indefinitely`: every `seconds` (at least 60).
    case interval(seconds: Int)
    /// `once`: at that moment.
    case once(Date)
    /// `daily`: every day at `hour:minute`.
    case daily(hour: Int, minute: Int)
    /// `weekly`: on these days (1 = Monday … 7 = Sunday; inferred, Make does not document the numbering)
    /// at `hour:minute`.
    case weekly(days: Set<Int>, hour: Int, minute: Int)

    public struct Unsupported: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a `scheduling` object; nil when there is none (the scenario runs on its trigger or on demand).
    public static func parse(_ json: JSON?) throws(Unsupported) -> ScenarioSchedule? {
        guard let json, case .object = json else { return nil }
        let type = json["type"]?.stringValue ?? "immediately"
        switch type {
        case "immediately": return .immediately
        case "on-demand": return .onDemand
        case "indefinitely":
            guard let seconds = json["interval"]?.intValue, seconds >= 60 else {
                throw Unsupported(description: "scheduling.interval: at least 60 seconds")
            }
            return .interval(seconds: seconds)
        case "once":
            guard let text = json["date"]?.stringValue, let date = IMLDates.date(.string(text)) else {
                throw Unsupported(description: "scheduling.date: an ISO 8601 date and time")
            }
            return .once(date)
        case "daily", "weekly":
            let (hour, minute) = try time(json["time"])
            if type == "daily" { return .daily(hour: hour, minute: minute) }
            let days = Set((json["days"]?.arrayValue ?? []).compactMap(\.intValue).filter { (1...7).contains($0) })
            guard !days.isEmpty else { throw Unsupported(description: "scheduling.days: days from 1 to 7") }
            return .weekly(days: days, hour: hour, minute: minute)
        default:
            throw Unsupported(description: "scheduling.type '\(type)' is not supported natively yet")
        }
    }

    static func time(_ value: JSON?) throws(Unsupported) -> (Int, Int) {
        let parts = (value?.stringValue ?? "00:00").split(separator: ":").compactMap { Int($0) }
        guard parts.count >= 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
            throw Unsupported(description: "scheduling.time: HH:mm")
        }
        return (parts[0], parts[1])
    }

    /// The first run after `date`; nil when the scenario does not run by itself (or `once` is past).
    public func next(after date: Date, timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch self {
        case .immediately, .onDemand: return nil
        case .interval(let seconds): return date.addingTimeInterval(TimeInterval(seconds))
        case .once(let moment): return moment > date ? moment : nil
        case .daily(let hour, let minute):
            return calendar.nextDate(
                after: date, matching: DateComponents(hour: hour, minute: minute, second: 0), matchingPolicy: .nextTime)
        case .weekly(let days, let hour, let minute):
            return days.compactMap { day -> Date? in
                // Calendar weekdays: 1 = Sunday … 7 = Saturday.
                let weekday = day == 7 ? 1 : day + 1
                return calendar.nextDate(
                    after: date, matching: DateComponents(hour: hour, minute: minute, second: 0, weekday: weekday),
                    matchingPolicy: .nextTime)
            }.min()
        }
    }
}

extension Blueprint {
    /// The `scheduling` object, at the top level or in the public-template wrapper.
    public var scheduling: JSON? { extra["scheduling"] ?? wrapper?["scheduling"] }
}
