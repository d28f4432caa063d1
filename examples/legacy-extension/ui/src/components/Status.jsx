import React, { useEffect, useState } from "react";

// The client is handed down from App as a prop.
export function Status({ ddClient }) {
  const [status, setStatus] = useState("unknown");

  useEffect(() => {
    ddClient.backend
      .request({ url: "/status", method: "GET", headers: {}, data: null })
      .then((res) => setStatus(res.status))
      .catch(() => setStatus("down"));
  }, [ddClient]);

  return <span className="status">{status}</span>;
}
