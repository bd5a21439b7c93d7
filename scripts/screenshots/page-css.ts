// Discord's dark theme, close enough to read as Discord: sizes and colours of the desktop client.
export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; background: #313338; color: #dbdee1; font: 16px/1.375 "Noto Sans", "Noto Sans CJK SC", "Noto Color Emoji", sans-serif; }
#shot { width: 920px; padding: 16px 0 12px; position: relative; background: #313338; }
#shot.with-modal { min-height: 620px; }
.message { padding: 4px 16px 6px; margin-top: 12px; }
.message.ephemeral { background: rgba(88, 101, 242, 0.07); }
.message-main { display: flex; gap: 16px; }
.avatar { width: 40px; height: 40px; border-radius: 50%; flex: none; color: #fff; font-weight: 700; display: flex; align-items: center; justify-content: center; font-size: 18px; }
.avatar.tiny { width: 16px; height: 16px; font-size: 9px; }
.avatar.small { width: 24px; height: 24px; font-size: 12px; }
.message-body { min-width: 0; flex: 1; }
.author { display: flex; align-items: baseline; gap: 6px; }
.name { color: #f2f3f5; font-weight: 500; }
.app { background: #5865f2; color: #fff; font-size: 10px; font-weight: 600; padding: 1px 4px; border-radius: 3px; position: relative; top: -2px; }
.time { color: #949ba4; font-size: 12px; margin-left: 2px; }
.content { word-wrap: break-word; white-space: normal; }
.content strong { color: #f2f3f5; }
.subtext { color: #949ba4; font-size: 13px; line-height: 1.3; }
.h1 { font-size: 24px; font-weight: 700; color: #f2f3f5; } .h2 { font-size: 20px; font-weight: 700; color: #f2f3f5; } .h3 { font-size: 16px; font-weight: 700; color: #f2f3f5; }
.quote { border-left: 4px solid #4e5058; padding-left: 12px; }
code { background: #2b2d31; border: 1px solid #1e1f22; border-radius: 4px; padding: 0 3px; font: 14px "Noto Sans Mono", monospace; }
.mention { background: rgba(88, 101, 242, 0.3); color: #c9cdfb; border-radius: 3px; padding: 0 2px; font-weight: 500; }
.link { color: #00a8fc; }
.command-line { display: flex; align-items: center; gap: 4px; color: #b5bac1; font-size: 14px; margin: 0 0 4px 20px; position: relative; }
.command-line .spine { width: 33px; height: 12px; border-left: 2px solid #4e5058; border-top: 2px solid #4e5058; border-top-left-radius: 6px; margin-top: 8px; margin-right: 4px; }
.command-line .who { color: #f2f3f5; font-weight: 500; margin-left: 2px; }
.command-line .command { color: #00a8fc; }
.attachments { margin-top: 6px; }
.attachment { display: block; max-width: 400px; max-height: 400px; border-radius: 8px; }
.embed { margin-top: 6px; max-width: 520px; background: #2b2d31; border-left: 4px solid; border-radius: 4px; padding: 8px 16px 16px 12px; display: grid; gap: 8px; }
.embed-author { font-size: 14px; font-weight: 600; color: #f2f3f5; }
.embed-title { font-weight: 600; color: #f2f3f5; }
.embed-description { font-size: 14px; }
.fields { display: flex; flex-wrap: wrap; gap: 8px 20px; }
.field { flex: 1 1 100%; font-size: 14px; }
.field.inline { flex: 0 1 auto; min-width: 150px; }
.field-name { font-weight: 600; color: #f2f3f5; margin-bottom: 2px; }
.embed-image { max-width: 400px; max-height: 300px; border-radius: 4px; display: block; }
.embed-footer { font-size: 12px; color: #dbdee1; }
.rows { margin-top: 4px; }
.row { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 0; }
.button { height: 32px; min-width: 60px; padding: 2px 16px; border-radius: 8px; display: flex; align-items: center; justify-content: center; gap: 6px; font-size: 14px; font-weight: 500; color: #fff; }
.button.primary { background: #5865f2; } .button.secondary { background: #4e5058; } .button.success { background: #248046; } .button.danger { background: #da373c; }
.button.disabled { opacity: 0.5; }
.button .emoji { font-size: 18px; line-height: 1; }
.button .external { font-size: 13px; opacity: 0.9; }
.ephemeral-note { color: #949ba4; font-size: 12px; margin-top: 6px; }
.ephemeral-note .dismiss { color: #00a8fc; }
.backdrop { position: absolute; inset: 0; background: rgba(0, 0, 0, 0.72); display: flex; align-items: center; justify-content: center; }
.modal { width: 520px; background: #313338; border-radius: 8px; box-shadow: 0 0 0 1px rgba(0,0,0,.3), 0 8px 24px rgba(0,0,0,.4); overflow: hidden; }
.modal-head { display: flex; align-items: center; gap: 10px; padding: 16px; }
.modal-title { font-size: 20px; font-weight: 600; color: #f2f3f5; flex: 1; }
.close { color: #b5bac1; font-size: 18px; }
.modal-content { padding: 0 16px 16px; }
.modal-field { margin-top: 4px; }
.modal-label { font-size: 16px; font-weight: 600; color: #f2f3f5; }
.modal-label .required { color: #f23f43; margin-left: 4px; }
.modal-description { font-size: 14px; color: #b5bac1; margin: 2px 0 8px; }
.modal-input { background: #1e1f22; border: 1px solid #3f4147; border-radius: 8px; padding: 10px; font-size: 16px; color: #dbdee1; min-height: 40px; }
.modal-input.paragraph { min-height: 90px; }
.placeholder { color: #87898c; }
.modal-footer { background: #2b2d31; padding: 16px; display: flex; justify-content: flex-end; align-items: center; gap: 24px; }
.cancel { color: #fff; font-size: 14px; }
`;
