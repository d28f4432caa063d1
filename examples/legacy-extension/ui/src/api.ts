// Thin wrappers around the extension's backend service.
const { backend } = (window as any).ddClient;

export interface Todo {
  id: number;
  name: string;
  done: boolean;
}

export async function listTodos(): Promise<Todo[]> {
  return (await backend.get("/todos")) as Todo[];
}

export async function addTodo(name: string): Promise<void> {
  await backend.post("/todos", { name });
}

export async function completeTodo(todo: Todo): Promise<void> {
  await backend.patch(`/todos/${todo.id}`, { done: true });
}

export async function removeTodo(todo: Todo): Promise<void> {
  await backend.delete(`/todos/${todo.id}`);
}
