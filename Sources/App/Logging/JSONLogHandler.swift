import Foundation
import LeadgenCore
import Logging

/// Writes one JSON object per log line to standard error: time, level, label, message and metadata.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    /// Each line's time stamp.
    let now: @Sendable () -> Date

    public init(label: String, level: Logger.Level, now: @escaping @Sendable () -> Date) {
        self.label = label
        self.logLevel = level
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: JSON] = [
            "time": .string(now().formatted(.iso8601)), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string(event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = Self.plain(value)
        }
        guard var data = try? JSON.object(object).data() else { return }
        data.append(UInt8(ascii: "\n"))
        FileHandle.standardError.write(data)
    }

    static func plain(_ value: Logger.Metadata.Value) -> JSON {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let item): .string(item.description)
        case .array(let items): .array(items.map(plain))
        case .dictionary(let items): .object(items.mapValues(plain))
        }
    }
}

/// Sets up swift-log once per process from the configuration.
public enum LoggingSetup {
    public static func bootstrap(level: Logger.Level, format: LeadgenConfig.LogFormat, time: TimeSource) {
        LoggingSystem.bootstrap { label in
            switch format {
            case .json: return JSONLogHandler(label: label, level: level, now: time.now)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
