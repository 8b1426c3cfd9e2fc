import Foundation

/// Finds the dashboard's resource folders inside the package's resource bundle.
enum ResourceFolder {
    /// The folder `name` (templates, static) of the bundle shipped next to the binary.
    static func url(_ name: String) throws -> URL {
        let candidates = [Bundle.module.resourceURL, Bundle.module.bundleURL].compactMap { $0 }.flatMap {
            [$0.appendingPathComponent(name), $0.appendingPathComponent("Resources").appendingPathComponent(name)]
        }
        var isDirectory: ObjCBool = false
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && isDirectory.boolValue
        {
            return candidate
        }
        throw MissingResources(folder: name, bundle: Bundle.module.bundleURL.path)
    }

    struct MissingResources: Error, CustomStringConvertible {
        var folder: String
        var bundle: String
        var description: String {
            "the dashboard's \(folder) are missing: keep the folder \(bundle) next to the leadgen binary"
        }
    }
}
