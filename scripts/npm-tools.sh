# Sourced by the other scripts: installs the pinned dev tools (Azurite) from package-lock.json
# when they are missing or the lock file changed since the last install.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$repo_root/node_modules/.package-lock.json" ] || [ "$repo_root/package-lock.json" -nt "$repo_root/node_modules/.package-lock.json" ]; then
  echo "Installing the pinned Azurite (npm ci)..."
  (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
fi
