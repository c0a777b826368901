"""Swift Package Manager (Package.resolved) and CocoaPods (Podfile.lock)."""
