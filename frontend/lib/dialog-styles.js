// The look of the page's dialogs (paste, settings): the frame, the backdrop, drop-down lists
// and inputs, and the button row, shared so that they look alike. Each component puts it in
// its shadow root's <style>.

export const DIALOG_STYLES = `
    dialog {
      width: min(560px, calc(100vw - 32px));
      padding: 0;
      border: 1px solid #34383d;
      border-radius: 10px;
      background: #1f2226;
      color: #e4e6e9;
      box-shadow: 0 20px 60px rgb(0 0 0 / 0.6);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.55);
    }
    .buttons {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
      padding: 12px 20px;
      border-top: 1px solid #2c2f33;
      background: #1b1d21;
      border-radius: 0 0 10px 10px;
    }
    select, input {
      box-sizing: border-box;
      height: 28px;
      padding: 0 6px;
      border: 1px solid #3a3e44;
      border-radius: 6px;
      background: #15171a;
      color: inherit;
      font: inherit;
    }
    button {
      height: 30px;
      padding: 0 16px;
      border: 1px solid #3a3e44;
      border-radius: 6px;
      background: #2a2d31;
      color: inherit;
      font: inherit;
      font-size: 13px;
      cursor: pointer;
    }
    button:hover {
      background: #33373c;
    }
    button.primary {
      border-color: #2f6fd0;
      background: #2f6fd0;
      color: #fff;
      font-weight: 600;
    }
    button.primary:hover {
      background: #3a7be0;
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
    }
`;
