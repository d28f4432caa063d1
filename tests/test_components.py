"""Vue single-file components and Svelte components: scripts and template expressions are linted
and fixed in place, through the real command line."""

import pytest

from migrator.core import languages
from migrator.core.engine import Catalogue, lint, verified
from migrator.core.model import Edit
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile
from migrator.js import components
from migrator.js.html import Region, fix_conflict

CATALOGUE = Catalogue(all_rules())

VUE = """<template>
  <div class="extension" :class="{ ready: isReady, 'is-wide': wide }">
    <h1>{{ title }}</h1>
    <button @click="ddClient.openExternal(url)">Docs</button>
    <button
      v-on:click="
        ddClient.toastSuccess('Saved');
        saved = true
      "
    >Save</button>
    <ul>
      <li v-for="(c, i) in containers" :key="i">{{ c.Names[0] }}</li>
    </ul>
    <!-- <button @click="ddClient.toastError('not real')">x</button> -->
  </div>
</template>

<script setup lang="ts">
import { ref } from "vue";
import { createDockerDesktopClient } from "@docker/extension-api-client";
import type { v1Hybrid } from "@docker/extension-api-client-types";

const ddClient: v1Hybrid.DockerDesktopClient = createDockerDesktopClient();
const url = "https://docs.docker.com/desktop/extensions/";
const containers = ref<any[]>([]);

async function load(): Promise<void> {
  await ddClient.backend.get("/status");
}
</script>

<style scoped>
.extension { display: flex; }
/* ddClient.toastError("not a script") */
</style>
"""

VUE_FIXED = (VUE
             .replace('@click="ddClient.openExternal(url)"', '@click="ddClient.host.openExternal(url)"')
             .replace("ddClient.toastSuccess('Saved');", "ddClient.desktopUI.toast.success('Saved');")
             .replace("import type { v1Hybrid }", "import type { v1 }")
             .replace("const ddClient: v1Hybrid.DockerDesktopClient", "const ddClient: v1.DockerDesktopClient")
             .replace('await ddClient.backend.get("/status");', 'await ddClient.extension.vm?.service?.get("/status");'))

SVELTE = """<script context="module">
  export const prerender = false;
</script>

<script>
  import { onMount } from "svelte";
  let vms = [];
  onMount(async () => {
    vms = await window.ddClient.backend.get("/vms");
    window.ddClient.toastSuccess("loaded");
  });
</script>

<!-- {window.ddClient.toastError("in a comment")} -->
<main class="list {window.ddClient.host.platform}">
  {#each vms as v (v.id)}
    <button on:click={window.ddClient.openExternal(v.primaryURL)}>Open</button>
    <button on:click={() =>
      window.ddClient.openExternal(v.primaryURL)}>Open in browser</button>
    <a title="{`VM ${v.name}`}" href={v.url}>{v.name}</a>
  {:else}
    <p>{vms.length ? "none" : "loading"}</p>
  {/each}
</main>

<style>
  main { display: flex; }
</style>
"""

SVELTE_FIXED = (SVELTE
                .replace('window.ddClient.backend.get("/vms")', 'window.ddClient.extension.vm?.service?.get("/vms")')
                .replace('window.ddClient.toastSuccess("loaded")', 'window.ddClient.desktopUI.toast.success("loaded")')
                .replace("window.ddClient.openExternal(v.primaryURL)", "window.ddClient.host.openExternal(v.primaryURL)"))


def findings_of(stdout: bytes) -> list[str]:
    """`path:line:column: CODE [name]` of each finding the text report shows."""
    return [" ".join(line.split(" ")[:3]) for line in stdout.decode().splitlines() if ": DD" in line]


def test_fixtures_are_what_the_tests_think():
    assert VUE_FIXED.count("host.openExternal") == 1 and "v1Hybrid" not in VUE_FIXED and "backend" not in VUE_FIXED
    assert SVELTE_FIXED.count("host.openExternal") == 2 and "backend" not in SVELTE_FIXED


# --- Vue --------------------------------------------------------------------------------------


def test_vue_check_reports_script_and_template_findings_at_component_positions(cli, write, tmp_path):
    write({"ui/src/components/Panel.vue": VUE})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert findings_of(proc.stdout) == [
        "ui/src/components/Panel.vue:4:21: DD304 [open-external]",
        "ui/src/components/Panel.vue:7:9: DD302 [toast]",
        "ui/src/components/Panel.vue:23:17: DD305 [v0-types]",  # a TypeScript-only rule: lang="ts" is read as TypeScript
        "ui/src/components/Panel.vue:28:9: DD101 [backend-http]",
    ]
    assert "in 1 file" in proc.stdout.decode()


def test_vue_fix_edits_only_the_calls_and_settles(cli, write, tmp_path):
    write({"Panel.vue": VUE})
    proc = cli("fix", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "Panel.vue").read_text() == VUE_FIXED
    again = cli("fix", ".", cwd=tmp_path)
    assert again.returncode == 0
    assert (tmp_path / "Panel.vue").read_text() == VUE_FIXED
    assert "Fixed 0 findings" in again.stdout.decode()
    assert cli("check", ".", cwd=tmp_path).returncode == 0


def test_a_vue_project_is_checked():
    source = SourceFile.from_bytes("App.vue", b'<template><p>{{ msg }}</p></template>\n<script setup>\nconst msg = "hi";\n</script>\n')
    assert source.language == "vue"
    assert lint(source, CATALOGUE) == []


def test_a_clean_vue_project_counts_its_files(cli, write, tmp_path):
    write({"src/App.vue": '<template><p>{{ msg }}</p></template>\n<script setup>\nconst msg = "hi";\n</script>\n'})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 0
    assert "in 1 file" in proc.stdout.decode() and "0 files" not in proc.stdout.decode()


def texts(language, content):
    return [(r.kind, r.language, r.wrap, content[r.start:r.end].decode()) for r in components.regions(language, content)]


def test_vue_regions():
    sfc = b"""<docs>ddClient.toastError("a custom block")</docs>
<template>
  <a :href="url" v-bind:title="t" @click.prevent="go()" v-if="ok" v-for="item of ddClient.items" #default="{ row }">
    {{ a ? "}}" : b }}
  </a>
  <template v-else><b v-show="shown">{{ x }}</b></template>
  <Comp v-model="value" />
</template>
<template lang="pug">p {{ ddClient.toastError("pug") }}</template>
<script>export default {}</script>
<script lang="tsx">const a = <b/>;</script>
<script lang="coffee">ddClient.toastError "coffee"</script>
<style>a { b: c }</style>
"""
    assert texts("vue", sfc) == [
        ("attribute", "javascript", True, "url"),
        ("attribute", "javascript", True, "t"),
        ("attribute", "javascript", False, "go()"),
        ("attribute", "javascript", True, "ok"),
        ("attribute", "javascript", True, " ddClient.items"),  # the list of a v-for, not its alias
        ("expression", "javascript", True, ' a ? "}}" : b '),  # a `}}` inside a string does not end it
        ("attribute", "javascript", True, "shown"),
        ("expression", "javascript", True, " x "),
        ("attribute", "javascript", True, "value"),
        ("script", "javascript", False, "export default {}"),
        ("script", "tsx", False, "const a = <b/>;"),
    ]


def test_template_expressions_are_read_as_expressions():
    tree = languages.parse("vue", VUE.encode())
    kinds = [region.kind for region, _, _ in tree.regions]
    assert kinds.count("script") == 1 and "expression" in kinds
    assert [languages.error_nodes(js) for _, _, js in tree.regions] == [[]] * len(tree.regions)
    for region, masked, js in tree.regions:
        statement = js.root_node.named_children[0]
        if region.wrap:  # read inside parentheses put on the blanked bytes around it: an expression, not a statement
            assert statement.named_children[0].type == "parenthesized_expression", masked[region.start - 1:region.end + 1]
            assert masked[region.start - 1:region.start] == b"(" and masked[region.end:region.end + 1] == b")"
        else:  # a handler or a script is a program
            assert masked[region.start - 1:region.start] in (b" ", b"\n")
    assert [r.wrap for r, _, _ in tree.regions] == [True, True, False, False, True, True, True, False]


def test_positions_in_a_multi_line_handler():
    source = SourceFile.from_bytes("P.vue", VUE.encode())
    assert [(f.rule, f.line, f.column, f.end_line) for f in lint(source, CATALOGUE)] == [
        ("open-external", 4, 21, 4), ("toast", 7, 9, 7), ("v0-types", 23, 17, 23), ("backend-http", 28, 9, 28),
    ]


# --- Svelte -----------------------------------------------------------------------------------


def test_svelte_check_reports_script_and_markup_findings(cli, write, tmp_path):
    write({"src/VmList.svelte": SVELTE})
    proc = cli("check", "src", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert findings_of(proc.stdout) == [
        "src/VmList.svelte:9:17: DD101 [backend-http]",
        "src/VmList.svelte:10:5: DD302 [toast]",
        "src/VmList.svelte:17:23: DD304 [open-external]",
        "src/VmList.svelte:19:7: DD304 [open-external]",  # the second line of a two-line on:click={...}
    ]


def test_svelte_fix_edits_only_the_calls_and_settles(cli, write, tmp_path):
    write({"VmList.svelte": SVELTE})
    proc = cli("fix", "VmList.svelte", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "VmList.svelte").read_bytes() == SVELTE_FIXED.encode()
    again = cli("fix", "VmList.svelte", cwd=tmp_path)
    assert (tmp_path / "VmList.svelte").read_bytes() == SVELTE_FIXED.encode()
    assert "Fixed 0 findings" in again.stdout.decode()


def test_svelte_regions():
    markup = b"""<script lang="ts" context="module">export const x: number = 1;</script>
<Comp {...props} {name} let:item={row} bind:value={v} on:click|once={() => go({ a: 1 })} />
{#if ok && ddClient}<p>{@html body}</p>{:else if other}{:else}{/if}
{#each items as item, i (item.id)}{item}{/each}
{#await load() then value}{value}{:catch e}{/await}
{#key k}x{/key}
<style>p { color: red }</style>
"""
    assert texts("svelte", markup) == [
        ("script", "typescript", False, "export const x: number = 1;"),
        ("expression", "javascript", True, "name"),
        ("expression", "javascript", True, "v"),
        ("expression", "javascript", True, "() => go({ a: 1 })"),
        ("expression", "javascript", True, " ok && ddClient"),
        ("expression", "javascript", True, " body"),
        ("expression", "javascript", True, " other"),
        ("expression", "javascript", True, " items"),
        ("expression", "javascript", True, "item"),
        ("expression", "javascript", True, " load()"),
        ("expression", "javascript", True, "value"),
        ("expression", "javascript", True, " k"),
    ]


# --- the shared machinery -----------------------------------------------------------------------


def test_an_expression_fix_must_stay_inside_it_and_respect_the_quote():
    braces = Region(10, 40, "expression")
    assert fix_conflict(braces, [Edit(12, 14, "a 'b' c")]) is None  # `{...}` in markup holds anything
    assert fix_conflict(braces, [Edit(8, 14, "x")]) is not None
    assert fix_conflict(Region(10, 40, "expression", '"'), [Edit(12, 14, 'a "b"')]) is not None


@pytest.mark.parametrize("language, text", [
    ("vue", '<template><b @click="f(1)">x</b></template><script>g(2)</script>'),
    ("svelte", "<script>g(2)</script><b on:click={() => f(1)}>x</b>"),
])
def test_a_fix_is_verified_region_by_region(language, text):
    """No region may gain errors, even if another loses as many."""
    good = languages.parse(language, text.encode())
    one_broken = languages.parse(language, text.replace("g(2)", "g(2").encode())
    other_broken = languages.parse(language, text.replace("f(1)", "f(1]").encode())
    assert len(good.regions) == len(one_broken.regions) == len(other_broken.regions) == 2
    assert verified(good, good)
    assert verified(one_broken, good)
    assert not verified(good, one_broken)
    assert not verified(one_broken, other_broken)  # the same number of errors, elsewhere


def test_suppression_comments_work_in_templates_and_scripts():
    text = VUE.replace("    <button @click=", "    <!-- ddmigrate: ignore[open-external] -->\n    <button @click=", 1)
    text = text.replace('  await ddClient.backend.get("/status");', '  await ddClient.backend.get("/status"); // ddmigrate: ignore')
    found = lint(SourceFile.from_bytes("P.vue", text.encode()), CATALOGUE)
    assert [f.rule for f in found] == ["toast", "v0-types"]
