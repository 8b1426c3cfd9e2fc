import Foundation
import LeadgenCore
import Logging

/// Writes one JSON object per log line to standard error: time, level, label, message and metadata.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    /// Each line's time stamp.
    let now: @Sendable () -> Date

    public init(
        label: String, level: Logger.Level, now: @escaping @Sendable () -> Date,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
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
        let provided = metadataProvider?.get() ?? [:]
        let merged = provided.merging(metadata) { $1 }.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged {
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
    /// `metadata` adds what every line written in a context carries, such as the trace and span ids.
    public static func bootstrap(
        level: Logger.Level, format: LeadgenConfig.LogFormat, time: TimeSource,
        metadata: Logger.MetadataProvider? = nil
    ) {
        LoggingSystem.bootstrap(
            { label, provider in
                switch format {
                case .json: return JSONLogHandler(label: label, level: level, now: time.now, metadataProvider: provider)
                case .text:
                    var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                }
            }, metadataProvider: metadata)
    }
}
