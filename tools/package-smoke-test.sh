#!/usr/bin/env bash
# Package smoke test: packs the libraries into a temporary folder feed, installs AnomalyDetection.Sagan,
# AnomalyDetection.PatchGan, AnomalyDetection.Autoencoder and AnomalyDetection.Plotting into a fresh console project,
# and runs a program that registers one detector of each kind through dependency injection, resolves each by name,
# and renders a ROC curve to PNG bytes (with the package's embedded font). The libraries reference
# TorchSharp without a native backend: first the program must fail with the message naming the backend packages,
# then, with TorchSharp-cpu added, resolve the detectors (which loads LibTorch, patched for this machine's libstdc++ by
# the packages' build targets). Exits non-zero, saying why, when any step fails.
#   bash tools/package-smoke-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "package smoke test FAILED: $*" >&2; exit 1; }

echo "Packing into $work/packages"
dotnet pack "$repo/AnomalyDetection.sln" -c Release -o "$work/packages" >"$work/pack.log" 2>&1 || { tail -n 30 "$work/pack.log"; fail "dotnet pack"; }

package_version() {
  local file
  file=$(ls "$work/packages/$1".[0-9]*.nupkg 2>/dev/null | head -n 1) || true
  [ -n "$file" ] || fail "no $1 package was produced"
  file=$(basename "$file" .nupkg)
  echo "${file#"$1".}"
}
version=$(package_version AnomalyDetection.Sagan)
[ "$(package_version AnomalyDetection.PatchGan)" = "$version" ] || fail "the Sagan and PatchGan packages have different versions"
[ "$(package_version AnomalyDetection.Autoencoder)" = "$version" ] || fail "the Sagan and Autoencoder packages have different versions"
[ "$(package_version AnomalyDetection.Plotting)" = "$version" ] || fail "the Sagan and Plotting packages have different versions"
di_version=$(sed -nE 's/.*Include="Microsoft\.Extensions\.DependencyInjection" Version="([^"]+)".*/\1/p' Directory.Packages.props)
[ -n "$di_version" ] || fail "no Microsoft.Extensions.DependencyInjection version in Directory.Packages.props"

# A fresh project outside the repository, so none of its Directory.*.props or nuget.config apply. Its nuget.config
# adds the local folder to the machine's sources. Copies of our packages cached by earlier runs are removed from the
# global packages folder so that the freshly packed ones are used; LibTorch stays cached there (it is 282 MB).
app="$work/app"
dotnet new console -o "$app" -n SmokeTest >"$work/new.log" 2>&1 || { cat "$work/new.log"; fail "dotnet new console"; }
cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="anomaly-detection-local" value="$work/packages" />
  </packageSources>
</configuration>
XML
global_packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
rm -rf "$global_packages"/anomalydetection.*
torch_version=$(sed -nE 's/.*Include="TorchSharp-cpu" Version="([^"]+)".*/\1/p' Directory.Packages.props)
[ -n "$torch_version" ] || fail "no TorchSharp-cpu version in Directory.Packages.props"

add_package() {
  echo "Adding $1 $2"
  dotnet add "$app/SmokeTest.csproj" package "$1" --version "$2" >"$work/add.log" 2>&1 || { tail -n 30 "$work/add.log"; fail "adding $1 $2"; }
}
add_package AnomalyDetection.Sagan "$version"
add_package AnomalyDetection.PatchGan "$version"
add_package AnomalyDetection.Autoencoder "$version"
add_package AnomalyDetection.Plotting "$version"
add_package Microsoft.Extensions.DependencyInjection "$di_version"

cat >"$app/Program.cs" <<'CS'
using AnomalyDetection.Detection;
using Microsoft.Extensions.DependencyInjection;

var services = new ServiceCollection();
services.AddAnomalyDetection()
    .AddSagan("a", o => o.ConvDim = 4)
    .AddPatchGan("b", o => o.ImageSize = 32)
    .AddAutoencoder("c", o => o.ImageSize = 28);
using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

IAnomalyDetector a;
try
{
    a = provider.GetRequiredKeyedService<IAnomalyDetector>("a");
}
catch (InvalidOperationException ex)
{
    Console.WriteLine($"error: {ex.Message}");
    return 3;
}

var b = provider.GetRequiredKeyedService<IAnomalyDetector>("b");
var c = provider.GetRequiredKeyedService<IAnomalyDetector>("c");
Console.WriteLine($"a: {a.Kind}");
Console.WriteLine($"b: {b.Kind}");
Console.WriteLine($"c: {c.Kind}");
var png = AnomalyDetection.Plotting.EvaluationPlots.RenderRoc([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]);
// A PNG starts with 0x89 'P' 'N' 'G'.
Console.WriteLine($"roc: {(png.Length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G' ? "png" : "not a png")}");
return a.Kind == "sagan" && b.Kind == "patchgan" && c.Kind == "autoencoder" && !a.IsFitted && !b.IsFitted && !c.IsFitted ? 0 : 1;
CS

# Without a backend the first use must say which packages to add.
status=0
output=$(dotnet run --project "$app/SmokeTest.csproj" -c Release 2>&1) || status=$?
[ "$status" -eq 3 ] || { echo "$output"; fail "without a native backend the program should exit 3 with the missing-backend message (exit $status)"; }
grep -q "add the package TorchSharp-cpu" <<<"$output" || { echo "$output"; fail "the missing-backend message does not name TorchSharp-cpu"; }
echo "Without a backend: $(grep '^error:' <<<"$output" | cut -c1-120)..."

add_package TorchSharp-cpu "$torch_version"
output=$(dotnet run --project "$app/SmokeTest.csproj" -c Release 2>&1) || { echo "$output"; fail "the program exited with an error"; }
echo "$output"
grep -qx "a: sagan" <<<"$output" || fail "detector 'a' did not resolve as sagan"
grep -qx "b: patchgan" <<<"$output" || fail "detector 'b' did not resolve as patchgan"
grep -qx "c: autoencoder" <<<"$output" || fail "detector 'c' did not resolve as autoencoder"
grep -qx "roc: png" <<<"$output" || fail "AnomalyDetection.Plotting did not render a ROC curve as PNG"
echo "Package smoke test passed: AnomalyDetection.Sagan, AnomalyDetection.PatchGan and AnomalyDetection.Autoencoder $version install, explain a missing backend, and resolve from DI on TorchSharp-cpu $torch_version; AnomalyDetection.Plotting renders a ROC curve."
