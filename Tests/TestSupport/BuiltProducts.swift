import Foundation

/// The package's executables as `swift build` built them, found where `swift build --show-bin-path` says
/// they are: the same folder whatever the configuration, the platform's triple or the scratch path.
public enum BuiltProducts {
    static let packageFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The folder, asked of SwiftPM once per test process; `nil` when it could not say.
    public static let folder: URL? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "--show-bin-path", "--package-path", packageFolder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, path.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: path)
    }()

    /// The path of the executable `name` (whether or not it has been built yet).
    public static func path(_ name: String) -> String {
        (folder ?? packageFolder.appendingPathComponent(".build/debug")).appendingPathComponent(name).path
    }
}
