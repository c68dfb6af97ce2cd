#!/usr/bin/env bash
# Installs a real single-node OpenSearch for the integration tests, using only
# sources CI can reach (Maven Central + Debian apt). Safe to run repeatedly:
# every download is cached and verified, and an already assembled install is
# left alone, so a second run touches the network not at all.
#
# Why it is assembled by hand: the usual tarball lives on artifacts.opensearch.org,
# which CI cannot reach. Maven Central only carries the *minimal* distribution
# (integ-test-zip: server + transport-netty4) and the modules as bare jars
# without their plugin-descriptor.properties, so we rebuild the module
# directories the way the official distribution lays them out.
#
# Environment (all optional):
#   KB_CACHE_DIR            download cache            (default: $HOME/.cache/runbook-kb)
#   KB_OPENSEARCH_VERSION   2.19.x release to install  (default: 2.19.1, the one the k-NN plugin matches)
#   KB_OPENSEARCH_HOME      where to assemble it       (default: see below)
#   KB_OPENSEARCH_MODULES   modules to add             (default: lang-painless analysis-common mapper-extras)
#   KB_OPENSEARCH_PLUGINS   plugins to add             (default: opensearch-knn; empty for none)
#   KB_JAVA_HOME            JDK/JRE to run it with     (default: auto-detected, Java 11-21)
#   KB_MAVEN_REPO           Maven repository base URL  (default: Maven Central)
#
# On success it writes $KB_CACHE_DIR/opensearch.env, which opensearch-start.sh
# sources to find the install and the Java to use.
set -euo pipefail

KB_CACHE_DIR="${KB_CACHE_DIR:-$HOME/.cache/runbook-kb}"
# 2.19.1, not the newest 2.19.6: a plugin must match the server exactly, and Maven Central has
# the k-NN plugin (vector fields, for hybrid retrieval) for 2.19.1 only (and 3.x, which needs a
# 3.x server and Java 21).
OS_VERSION="${KB_OPENSEARCH_VERSION:-2.19.1}"
MAVEN_REPO="${KB_MAVEN_REPO:-https://repo1.maven.org/maven2}"
# analysis-common gives the english analyzer, stemmer and synonym_graph; it
# extends lang-painless (SPI), so painless must be there too, and painless also
# serves script_score in function_score. mapper-extras is tiny and dependency
# free and brings scaled_float / rank_feature / search_as_you_type, which a
# real distribution always has; dropping it from the list is harmless.
OS_MODULES="${KB_OPENSEARCH_MODULES:-lang-painless analysis-common mapper-extras}"
# opensearch-knn gives the knn_vector field and its scoring scripts (the runbooks' meaning vectors,
# scored exactly by script_score). Unlike the modules it is published whole, as the plugin zip
# (descriptor, policy, jars), so it is unpacked as is. Its native engines (faiss, nmslib) are not
# in that zip, and are loaded only when an index asks for them: the Lucene engine and exact
# scoring need none.
OS_PLUGINS="${KB_OPENSEARCH_PLUGINS-opensearch-knn}"
DL_DIR="$KB_CACHE_DIR/downloads"

# OpenSearch refuses to run as root, so when we are root the server runs as a
# system user. That user cannot traverse /root (mode 700), so a root install goes
# to /opt; an unprivileged user runs it themselves straight from the cache.
if [ "$(id -u)" -eq 0 ]; then
  OS_HOME="${KB_OPENSEARCH_HOME:-/opt/runbook-kb/opensearch-$OS_VERSION}"
else
  OS_HOME="${KB_OPENSEARCH_HOME:-$KB_CACHE_DIR/opensearch-$OS_VERSION}"
fi

log() { printf '[opensearch-install] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- apt helpers
APT_UPDATED=0
apt_install() {
  [ "$(id -u)" -eq 0 ] || die "need apt packages ($*) but not root; install them first"
  command -v apt-get >/dev/null || die "need packages ($*) and apt-get is missing"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# A fresh Debian image may lack any of these; each maps to one apt package.
need_pkgs=()
command -v curl >/dev/null || need_pkgs+=(curl ca-certificates)
command -v unzip >/dev/null || need_pkgs+=(unzip)
command -v sha1sum >/dev/null || need_pkgs+=(coreutils)
if [ "$(id -u)" -eq 0 ] && ! command -v runuser >/dev/null; then need_pkgs+=(util-linux); fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then apt_install "${need_pkgs[@]}"; fi

# ---------------------------------------------------------------------- Java
# OpenSearch 2.x needs the SecurityManager, which JDK 24+ removed outright, so
# "whatever java is on PATH" is not good enough (this machine also has a
# Temurin 25). Accept 11..21 and prefer an explicit choice, then PATH, then
# anything under /usr/lib/jvm.
java_major() {
  local v
  v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p' | head -n1)" || return 1
  v="${v#1.}"
  printf '%s\n' "${v%%.*}"
}

java_ok() {
  local jh="$1" major
  [ -n "$jh" ] && [ -x "$jh/bin/java" ] || return 1
  major="$(java_major "$jh")" || return 1
  [ -n "$major" ] && [ "$major" -ge 11 ] && [ "$major" -le 21 ]
}

find_java() {
  local c
  # An explicit choice is taken or rejected, never silently replaced.
  if [ -n "${KB_JAVA_HOME:-}" ]; then
    java_ok "$KB_JAVA_HOME" && readlink -f "$KB_JAVA_HOME"
    return
  fi
  local candidates=("${OPENSEARCH_JAVA_HOME:-}" "${JAVA_HOME:-}")
  if command -v java >/dev/null; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  # Prefer 17 (what 2.19 is tested on most) over other versions under /usr/lib/jvm.
  for c in /usr/lib/jvm/*17* /usr/lib/jvm/*21* /usr/lib/jvm/*11* /usr/lib/jvm/*; do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if java_ok "$c"; then
      readlink -f "$c"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME_FOUND="$(find_java)"; then
  if [ -n "${KB_JAVA_HOME:-}" ]; then
    die "KB_JAVA_HOME=$KB_JAVA_HOME is not a Java 11-21 runtime"
  fi
  log "no Java 11-21 found; installing openjdk-17-jre-headless"
  apt_install openjdk-17-jre-headless
  JAVA_HOME_FOUND="$(find_java)" || die "openjdk-17-jre-headless installed but no usable java found"
fi
log "java: $JAVA_HOME_FOUND (major $(java_major "$JAVA_HOME_FOUND"))"

# --------------------------------------------------------------- downloads
# Fetch one Maven artifact into the cache and check it against Central's own
# .sha1, so a truncated or proxied-garbage file is never cached as good.
# Prints the cached path.
fetch() {
  local group="$1" artifact="$2" version="$3" ext="$4"
  local rel="${group//.//}/$artifact/$version/$artifact-$version.$ext"
  local dest="$DL_DIR/$rel"
  if [ ! -s "$dest" ] || [ ! -s "$dest.sha1" ]; then
    mkdir -p "$(dirname "$dest")"
    log "download $MAVEN_REPO/$rel"
    curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 -o "$dest.part" "$MAVEN_REPO/$rel" ||
      die "download failed: $MAVEN_REPO/$rel"
    curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 -o "$dest.sha1.part" "$MAVEN_REPO/$rel.sha1" ||
      die "download failed: $MAVEN_REPO/$rel.sha1"
    local want got
    want="$(cut -c1-40 "$dest.sha1.part")"
    got="$(sha1sum "$dest.part" | cut -c1-40)"
    [ "$want" = "$got" ] || { rm -f "$dest.part" "$dest.sha1.part"; die "sha1 mismatch for $rel (want $want, got $got)"; }
    mv "$dest.sha1.part" "$dest.sha1"
    mv "$dest.part" "$dest"
  fi
  printf '%s\n' "$dest"
}

# Print "group artifact version" for the runtime dependencies of a pom.
# Gradle-generated poms are flat and regular, so a line-oriented parse is
# enough; <exclusion> blocks are skipped so their wildcard ids don't leak in.
pom_deps() {
  awk '
    /<exclusions>/ { excl = 1 } /<\/exclusions>/ { excl = 0; next }
    excl { next }
    /<dependency>/ { indep = 1; g = a = v = s = o = ""; next }
    indep && /<groupId>/    { g = $0; sub(/.*<groupId>/, "", g); sub(/<.*/, "", g) }
    indep && /<artifactId>/ { a = $0; sub(/.*<artifactId>/, "", a); sub(/<.*/, "", a) }
    indep && /<version>/    { v = $0; sub(/.*<version>/, "", v); sub(/<.*/, "", v) }
    indep && /<scope>/      { s = $0; sub(/.*<scope>/, "", s); sub(/<.*/, "", s) }
    indep && /<optional>true/ { o = 1 }
    /<\/dependency>/ {
      indep = 0
      if (!o && (s == "" || s == "compile" || s == "runtime")) print g, a, v
    }
  ' "$1"
}

# Maven coordinates of each module's own jar. Some modules are only published
# under their "-client" name (the same jar, meant for tests to depend on).
module_artifact() {
  case "$1" in
    mapper-extras) echo "mapper-extras-client" ;;
    *) echo "$1" ;;
  esac
}

# Plugin classnames changed between lines (2.x *Plugin, 3.x *ModulePlugin);
# the first candidate present in the jar wins.
module_classes() {
  case "$1" in
    lang-painless)   echo "org.opensearch.painless.PainlessModulePlugin org.opensearch.painless.PainlessPlugin" ;;
    analysis-common) echo "org.opensearch.analysis.common.CommonAnalysisModulePlugin org.opensearch.analysis.common.CommonAnalysisPlugin" ;;
    mapper-extras)   echo "org.opensearch.index.mapper.MapperExtrasModulePlugin org.opensearch.index.mapper.MapperExtrasPlugin" ;;
    *) return 1 ;;
  esac
}
module_extends() {
  case "$1" in
    analysis-common) echo "lang-painless" ;;
    *) echo "" ;;
  esac
}
module_description() {
  case "$1" in
    lang-painless)   echo "An easy, safe and fast scripting language for OpenSearch" ;;
    analysis-common) echo "Adds \"built in\" analyzers to OpenSearch." ;;
    mapper-extras)   echo "Adds advanced field mappers" ;;
  esac
}
# The modules' security policies are not in the published jars; these are the
# grants the upstream build ships for them (only painless needs any: it
# generates classes at runtime).
module_policy() {
  case "$1" in
    lang-painless)
      cat <<'EOF'
grant {
  permission java.lang.RuntimePermission "createClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
};
EOF
      ;;
  esac
}

# Maven coordinates and version of each plugin: plugins are versioned as the server plus a fourth
# number (opensearch-knn 2.19.1.0 for OpenSearch 2.19.1).
plugin_group() {
  case "$1" in
    opensearch-knn) echo "org.opensearch.plugin" ;;
    *) return 1 ;;
  esac
}
plugin_version() { echo "$OS_VERSION.0"; }
# Plugins extending a module (through SPI) need it installed.
plugin_needs() {
  case "$1" in
    opensearch-knn) echo "lang-painless" ;;
  esac
}

for plugin in $OS_PLUGINS; do
  plugin_group "$plugin" >/dev/null || die "don't know how to install plugin '$plugin'"
  for needed in $(plugin_needs "$plugin"); do
    case " $OS_MODULES " in *" $needed "*) ;; *) die "plugin $plugin needs module $needed in KB_OPENSEARCH_MODULES" ;; esac
  done
done

# What an install was assembled from; a differing stamp means rebuild it.
install_stamp() {
  printf 'version=%s\nmodules=%s\n' "$OS_VERSION" "$OS_MODULES"
  # Installs without plugins keep the stamp they had before plugins existed.
  if [ -n "${OS_PLUGINS// /}" ]; then
    local p plugins=""
    for p in $OS_PLUGINS; do plugins="$plugins $p-$(plugin_version "$p")"; done
    printf 'plugins=%s\n' "${plugins# }"
  fi
}

STAMP_FILE="$OS_HOME/.runbook-kb-install"
if [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$(install_stamp)" ]; then
  log "already installed: $OS_HOME"
else
  dist_zip="$(fetch org.opensearch.distribution.integ-test-zip opensearch "$OS_VERSION" zip)"

  # Assemble next to the target and swap in at the end, so an interrupted run
  # never leaves a half-built install that looks complete.
  mkdir -p "$(dirname "$OS_HOME")"
  build="$(mktemp -d "$(dirname "$OS_HOME")/.build.XXXXXX")"
  trap 'rm -rf "$build"' EXIT
  unzip -q "$dist_zip" -d "$build"
  root="$build/opensearch-$OS_VERSION"
  [ -x "$root/bin/opensearch" ] || die "unexpected layout in $dist_zip"

  for mod in $OS_MODULES; do
    classes="$(module_classes "$mod")" || die "don't know how to install module '$mod'"
    artifact="$(module_artifact "$mod")"
    mdir="$root/modules/$mod"
    mkdir -p "$mdir"

    # The module jar, plus its non-core dependency closure. Core OpenSearch
    # artifacts (group org.opensearch) are already on the server classpath in
    # lib/, and copying them again would make jar-hell checks fail; other
    # OpenSearch plugin artifacts (e.g. the painless SPI) belong in the module.
    queue=("org.opensearch.plugin $artifact $OS_VERSION")
    seen=" "
    while [ "${#queue[@]}" -gt 0 ]; do
      read -r g a v <<<"${queue[0]}"
      queue=("${queue[@]:1}")
      case "$seen" in *" $g:$a "*) continue ;; esac
      seen="$seen$g:$a "
      if [ "$g" = org.opensearch ] || [ -e "$root/lib/$a-$v.jar" ]; then continue; fi
      jar="$(fetch "$g" "$a" "$v" jar)"
      cp "$jar" "$mdir/"
      # OpenSearch declares its third-party deps with wildcard exclusions (it
      # ships exactly the jars it lists), so only its own artifacts need
      # recursing into.
      case "$g" in
        org.opensearch.*)
          pom="$(fetch "$g" "$a" "$v" pom)"
          while read -r dg da dv; do
            [ -n "$dg" ] && queue+=("$dg $da $dv")
          done < <(pom_deps "$pom")
          ;;
      esac
    done

    classname=""
    for c in $classes; do
      if unzip -l "$mdir/$artifact-$OS_VERSION.jar" "${c//.//}.class" >/dev/null 2>&1; then
        classname="$c"
        break
      fi
    done
    [ -n "$classname" ] || die "none of [$classes] found in $artifact-$OS_VERSION.jar"

    # Same keys the official build writes; java.version is the floor the
    # modules are compiled for.
    cat >"$mdir/plugin-descriptor.properties" <<EOF
description=$(module_description "$mod")
version=$OS_VERSION
name=$mod
classname=$classname
java.version=11
opensearch.version=$OS_VERSION
custom.foldername=
extended.plugins=$(module_extends "$mod")
has.native.controller=false
EOF
    policy="$(module_policy "$mod")"
    if [ -n "$policy" ]; then printf '%s\n' "$policy" >"$mdir/plugin-security.policy"; fi
    jars=("$mdir"/*.jar)
    log "module $mod: ${jars[*]##*/}"
  done

  for plugin in $OS_PLUGINS; do
    version="$(plugin_version "$plugin")"
    zip="$(fetch "$(plugin_group "$plugin")" "$plugin" "$version" zip)" ||
      die "no $plugin $version for OpenSearch $OS_VERSION on Maven Central? (KB_OPENSEARCH_PLUGINS= installs none)"
    pdir="$root/plugins/$plugin"
    mkdir -p "$pdir"
    unzip -q "$zip" -d "$pdir"
    # The server refuses to start with a plugin built for another version; say so here instead.
    built_for="$(sed -n 's/^opensearch\.version=//p' "$pdir/plugin-descriptor.properties")"
    [ "$built_for" = "$OS_VERSION" ] || die "$plugin $version is built for OpenSearch $built_for, not $OS_VERSION"
    jars=("$pdir"/*.jar)
    log "plugin $plugin $version: ${jars[*]##*/}"
  done

  # Readable by the unprivileged server user; the install itself stays
  # read-only for it (config/data/logs live in the run dir, see start script).
  chmod -R a+rX "$root"
  install_stamp >"$root/.runbook-kb-install"
  rm -rf "$OS_HOME"
  mv "$root" "$OS_HOME"
  rm -rf "$build"
  trap - EXIT
  log "installed: $OS_HOME"
fi

mkdir -p "$KB_CACHE_DIR"
cat >"$KB_CACHE_DIR/opensearch.env" <<EOF
# written by .ci/opensearch-install.sh
KB_OPENSEARCH_HOME='$OS_HOME'
KB_OPENSEARCH_VERSION='$OS_VERSION'
KB_OPENSEARCH_JAVA_HOME='$JAVA_HOME_FOUND'
EOF
printf '%s\n' "$OS_HOME"
