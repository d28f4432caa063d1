import React, { useEffect, useState } from "react";
import { createDockerDesktopClient } from "@docker/extension-api-client";
import { Status } from "./components/Status";
import { listTodos, addTodo } from "./api";

// One client for the whole app, as Docker's extension template does it.
const client = createDockerDesktopClient();

function useDockerDesktopClient() {
  return client;
}

export function App() {
  const ddClient = useDockerDesktopClient();
  const [hello, setHello] = useState<string>("");
  const [containers, setContainers] = useState<unknown[]>([]);

  useEffect(() => {
    ddClient.backend
      .get("/hello")
      .then((value: any) => setHello(JSON.stringify(value)));
  }, []);

  const refresh = async () => {
    const result = await ddClient.backend.execInVMExtension("ls -la /data");
    console.log(result.stdout);
    const ps = await ddClient.docker.cli.exec("ps", ["--all", "--format", "{{json .}}"]);
    setContainers(ps.parseJsonLines());
  };

  const save = async (name: string) => {
    await ddClient.backend.post("/todos", { name });
    await addTodo(name);
    ddClient.toastSuccess(`Saved ${name}`);
  };

  return (
    <div>
      <h1>{hello}</h1>
      <button onClick={refresh}>Refresh ({containers.length})</button>
      <button onClick={() => save("milk")}>Add</button>
      <button onClick={() => listTodos()}>List</button>
      <Status ddClient={ddClient} />
    </div>
  );
}
