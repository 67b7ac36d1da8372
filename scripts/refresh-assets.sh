#!/usr/bin/env bash
# Re-vendors the third-party front-end assets into crates/sau-web/assets/vendor/
# from the npm registry, at the versions pinned below. The result is committed:
# the build never touches the network. To upgrade, change a version, run this
# script, review the diff (including VERSIONS) and commit.
#
# Needs bash, npm, tar, sed, grep and sha256sum.
set -euo pipefail

BOOTSTRAP_VERSION="5.3.9"
HTMX_VERSION="2.0.11"
INTER_VERSION="5.3.0"

cd "$(dirname "$0")/.."
dest="crates/sau-web/assets/vendor"

for tool in npm tar sed grep sha256sum; do
    command -v "$tool" >/dev/null || { echo "refresh-assets: $tool is required" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm checks each tarball against the registry's integrity hash.
(cd "$work" && npm pack --silent "bootstrap@${BOOTSTRAP_VERSION}" "htmx.org@${HTMX_VERSION}" \
    "@fontsource-variable/inter@${INTER_VERSION}" >/dev/null)

unpack() { # <tarball> <dir>
    mkdir -p "$work/$2"
    tar -xzf "$work/$1" -C "$work/$2" --strip-components=1
}
unpack "bootstrap-${BOOTSTRAP_VERSION}.tgz" bootstrap
unpack "htmx.org-${HTMX_VERSION}.tgz" htmx.org
unpack "fontsource-variable-inter-${INTER_VERSION}.tgz" inter

# Each package's own manifest must agree with the pin.
check_version() { # <dir> <version>
    local got
    got="$(sed -nE 's/^[[:space:]]*"version":[[:space:]]*"([^"]+)".*/\1/p' "$work/$1/package.json" | head -n1)"
    if [[ "$got" != "$2" ]]; then
        echo "refresh-assets: $1 unpacked as version '$got', expected '$2'" >&2
        exit 1
    fi
}
check_version bootstrap "$BOOTSTRAP_VERSION"
check_version htmx.org "$HTMX_VERSION"
check_version inter "$INTER_VERSION"

license_of() { # <dir> -> path of the package's licence file
    local f
    for f in LICENSE LICENSE.md LICENSE.txt license license.md LICENCE; do
        if [[ -f "$work/$1/$f" ]]; then
            echo "$work/$1/$f"
            return
        fi
    done
    echo "refresh-assets: no LICENSE file in $1" >&2
    exit 1
}

# Start from an empty vendor directory so nothing stale survives an upgrade.
mkdir -p "$dest"
find "$dest" -mindepth 1 -maxdepth 1 -type f -delete

# package|version|source inside the package|name in vendor/
files=(
    "bootstrap|${BOOTSTRAP_VERSION}|dist/css/bootstrap.min.css|bootstrap.min.css"
    "bootstrap|${BOOTSTRAP_VERSION}|dist/js/bootstrap.bundle.min.js|bootstrap.bundle.min.js"
    "bootstrap|${BOOTSTRAP_VERSION}|LICENSE|bootstrap.LICENSE"
    "htmx.org|${HTMX_VERSION}|dist/htmx.min.js|htmx.min.js"
    "htmx.org|${HTMX_VERSION}|LICENSE|htmx.LICENSE"
    # The typeface, Latin only: Spanish and English need nothing more.
    "inter|${INTER_VERSION}|files/inter-latin-wght-normal.woff2|inter-latin-wght-normal.woff2"
    "inter|${INTER_VERSION}|LICENSE|inter.LICENSE"
)

versions="$dest/VERSIONS"
{
    echo "# Vendored by scripts/refresh-assets.sh from the npm registry. Do not edit."
    echo "# package version sha256 file"
} >"$versions.tmp"

for entry in "${files[@]}"; do
    IFS='|' read -r pkg version src name <<<"$entry"
    if [[ "$src" == LICENSE ]]; then
        from="$(license_of "$pkg")"
    else
        from="$work/$pkg/$src"
    fi
    [[ -s "$from" ]] || { echo "refresh-assets: $pkg@$version has no $src" >&2; exit 1; }
    cp "$from" "$dest/$name"
    case "$name" in
        *.min.js | *.min.css)
            # Drop the trailing source-map comment: the maps are not shipped and
            # the browser's devtools would 404 on them.
            sed -E -i \
                -e 's@[[:space:]]*//[#@][[:space:]]*sourceMappingURL=[^[:space:]]*[[:space:]]*$@@' \
                -e 's@[[:space:]]*/\*[#@][[:space:]]*sourceMappingURL=[^*]*\*/[[:space:]]*$@@' \
                "$dest/$name"
            # Drop the blank lines that leaves at the end of the file.
            sed -i -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' "$dest/$name"
            if grep -q 'sourceMappingURL' "$dest/$name"; then
                echo "refresh-assets: could not strip sourceMappingURL from $name" >&2
                exit 1
            fi
            ;;
    esac
    [[ -s "$dest/$name" ]] || { echo "refresh-assets: $name ended up empty" >&2; exit 1; }
    sum="$(sha256sum "$dest/$name" | cut -d' ' -f1)"
    echo "$pkg $version $sum $name" >>"$versions.tmp"
done
mv "$versions.tmp" "$versions"

echo "refresh-assets: vendored bootstrap@${BOOTSTRAP_VERSION}, htmx.org@${HTMX_VERSION} and @fontsource-variable/inter@${INTER_VERSION} into $dest" >&2
cat "$versions" >&2
