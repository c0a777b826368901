#!/bin/sh
# Rebuilds the java-archive fixtures with javac and jar (JDK 17). Run from this directory.
# The outputs are committed; the tests pin their digests, so rebuild only on purpose.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
J="jar --date=2024-01-01T00:00:00Z"

# greeter-1.0.0.jar: a library with pom.properties and a manifest.
mkdir -p "$work/greeter/com/example/greeter" "$work/greeter/META-INF/maven/com.example/greeter"
cat > "$work/greeter/com/example/greeter/Greeter.java" <<'JAVA'
package com.example.greeter;
public final class Greeter { public static String greet(String n) { return "Hello, " + n; } }
JAVA
javac --release 17 -d "$work/greeter" "$work/greeter/com/example/greeter/Greeter.java"
rm "$work/greeter/com/example/greeter/Greeter.java"
printf 'artifactId=greeter\ngroupId=com.example\nversion=1.0.0\n' \
  > "$work/greeter/META-INF/maven/com.example/greeter/pom.properties"
printf 'Implementation-Title: greeter\nImplementation-Version: 1.0.0\nImplementation-Vendor: Example Corp\nBundle-License: Apache-2.0\n' > "$work/greeter.mf"
$J --create --file greeter/greeter-1.0.0.jar --manifest "$work/greeter.mf" -C "$work/greeter" .

# strutil-2.3.jar: no pom.properties; an OSGi manifest and the file name identify it.
mkdir -p "$work/strutil/org/example/strutil"
cat > "$work/strutil/org/example/strutil/Strings.java" <<'JAVA'
package org.example.strutil;
public final class Strings { public static boolean blank(String s) { return s.isBlank(); } }
JAVA
javac --release 17 -d "$work/strutil" "$work/strutil/org/example/strutil/Strings.java"
rm "$work/strutil/org/example/strutil/Strings.java"
printf 'Bundle-SymbolicName: org.example.strutil;singleton:=true\nBundle-Version: 2.3.0\nBundle-License: https://opensource.org/license/mit\n' > "$work/strutil.mf"
$J --create --file "$work/strutil-2.3.jar" --manifest "$work/strutil.mf" -C "$work/strutil" .

# toolkit-3.0.jar: shaded, gson's pom.properties inside next to its own.
mkdir -p "$work/toolkit/META-INF/maven/com.example/toolkit" "$work/toolkit/META-INF/maven/com.google.code.gson/gson"
printf '#Created by Apache Maven 3.9.6\nversion=3.0\ngroupId=com.example\nartifactId=toolkit\n' \
  > "$work/toolkit/META-INF/maven/com.example/toolkit/pom.properties"
printf 'artifactId=gson\ngroupId=com.google.code.gson\nversion=2.10.1\n' \
  > "$work/toolkit/META-INF/maven/com.google.code.gson/gson/pom.properties"
$J --create --file "$work/toolkit-3.0.jar" -C "$work/toolkit" .

# demo-0.0.1-SNAPSHOT.jar: a Spring Boot style fat jar, libraries stored under BOOT-INF/lib.
mkdir -p "$work/demo/BOOT-INF/lib" "$work/demo/BOOT-INF/classes" "$work/demo/META-INF/maven/com.example/demo"
cp greeter/greeter-1.0.0.jar "$work/strutil-2.3.jar" "$work/demo/BOOT-INF/lib/"
printf 'artifactId=demo\ngroupId=com.example\nversion=0.0.1-SNAPSHOT\n' \
  > "$work/demo/META-INF/maven/com.example/demo/pom.properties"
printf 'Main-Class: org.springframework.boot.loader.launch.JarLauncher\nStart-Class: com.example.demo.DemoApplication\n' > "$work/demo.mf"
mkdir -p fat
$J --create --no-compress --file fat/demo-0.0.1-SNAPSHOT.jar --manifest "$work/demo.mf" -C "$work/demo" .

# webapp-1.2.war in shop-1.0.ear: WEB-INF/lib jars two and three levels down.
mkdir -p "$work/webapp/WEB-INF/lib" "$work/webapp/META-INF/maven/com.example/webapp"
printf '<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0"/>\n' > "$work/webapp/WEB-INF/web.xml"
cp greeter/greeter-1.0.0.jar "$work/toolkit-3.0.jar" "$work/webapp/WEB-INF/lib/"
printf 'artifactId=webapp\ngroupId=com.example\nversion=1.2\n' \
  > "$work/webapp/META-INF/maven/com.example/webapp/pom.properties"
mkdir -p war ear
$J --create --file war/webapp-1.2.war -C "$work/webapp" .
mkdir -p "$work/shop/lib"
cp war/webapp-1.2.war "$work/shop/"
cp "$work/strutil-2.3.jar" "$work/shop/lib/"
$J --create --file ear/shop-1.0.ear -C "$work/shop" .
