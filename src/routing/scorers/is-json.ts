/** Whether a model's answer parses as JSON (the JSON-mode check shared by scorers and signals). */
export const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
