"""Java ecosystem catalogers: Maven POMs, Gradle lockfiles and metadata, JAR/WAR/EAR archives."""
