import Foundation

/// The package's executables as `swift build` built them: beside the running test bundle, which SwiftPM puts in
/// the same folder whatever the configuration, the platform's triple or the scratch path; failing that, where
/// `swift build --show-bin-path` says.
public enum BuiltProducts {
    static let packageFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The folder, found once per test process; `nil` when neither way could say.
    public static let folder: URL? = besideTheTestBundle() ?? askSwiftPM()

    /// The test bundle's folder, when this process is one (`…/leadgenPackageTests.xctest`). Costs a readlink,
    /// where asking SwiftPM loads the package and can keep a test thread for seconds on a busy machine.
    static func besideTheTestBundle() -> URL? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            executable.hasSuffix(".xctest")
        else { return nil }
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }

    static func askSwiftPM() -> URL? {
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
    }

    /// The path of the executable `name` (whether or not it has been built yet).
    public static func path(_ name: String) -> String {
        (folder ?? packageFolder.appendingPathComponent(".build/debug")).appendingPathComponent(name).path
    }
}
