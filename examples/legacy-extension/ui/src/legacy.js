// Helpers written against the first version of the extension API.
const backend = window.ddClient.backend;

export function ping() {
  return backend.head("/ping");
}

export async function clusterInfo() {
  // Two commands chained through the host's shell: cannot become one v1 exec call.
  const out = await window.ddClient.execHostCmd("kubectl get nodes -o json | jq '.items | length'");
  return out.stdout;
}

export function pods(namespace) {
  window.ddClient.spawnHostCmd("kubectl", ["get", "pods", "-n", namespace], (data, error) => {
    if (error) {
      console.error(error);
    } else if (data.stdout) {
      console.log(data.stdout);
    }
  });
}

export function backendImage() {
  return window.ddClient.execDockerCmd("images", "--format", '"{{json .}}"');
}

// An unrelated object that happens to be called `backend` as well.
const cache = { backend: { get: (key) => localStorage.getItem(key) } };
export const cached = cache.backend.get("todos");
